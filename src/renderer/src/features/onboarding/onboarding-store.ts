import { create } from 'zustand';
import type { WalletStatus } from '../../../../shared/domain.ts';
import { useEngineStore } from '../../app/engine-store.ts';

export type OnboardingStep = 'choose' | 'create' | 'import' | 'treasury';

interface OnboardingState {
  /** The shell shows onboarding while this is true; it stays true after the wallet exists until the treasury step ends. */
  active: boolean;
  step: OnboardingStep;
  begin(): void;
  goTo(step: OnboardingStep): void;
  /** The engine now holds a wallet: keep onboarding open for the treasury step. */
  walletReady(wallet: WalletStatus): void;
  finish(wallet?: WalletStatus): void;
}

export const useOnboardingStore = create<OnboardingState>((set) => ({
  active: false,
  step: 'choose',
  begin() {
    set({ active: true, step: 'choose' });
  },
  goTo(step) {
    set({ step });
  },
  walletReady(wallet) {
    useEngineStore.getState().setWallet(wallet);
    set({ step: 'treasury' });
  },
  finish(wallet) {
    if (wallet) useEngineStore.getState().setWallet(wallet);
    void useEngineStore.getState().refreshEngine();
    set({ active: false, step: 'choose' });
  },
}));
