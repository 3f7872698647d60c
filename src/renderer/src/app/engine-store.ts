import { create } from 'zustand';
import type { EngineStatus, WalletStatus } from '../../../shared/domain.ts';
import { call, errorMessage, subscribe } from '../transport/index.ts';

interface EngineState {
  engine: EngineStatus | null;
  wallet: WalletStatus | null;
  /** Set when the very first wallet.status call fails: the app cannot decide what to show. */
  loadError: string | null;
  load(): Promise<void>;
  refreshEngine(): Promise<void>;
  setWallet(wallet: WalletStatus): void;
}

export const useEngineStore = create<EngineState>((set) => ({
  engine: null,
  wallet: null,
  loadError: null,
  async load() {
    set({ loadError: null });
    try {
      const [wallet, engine] = await Promise.all([call('wallet.status', {}), call('engine.status', {})]);
      set({ wallet, engine });
    } catch (error) {
      set({ loadError: errorMessage(error) });
    }
  },
  async refreshEngine() {
    try {
      set({ engine: await call('engine.status', {}) });
    } catch {
      // The status bar shows the stale value; the next engine.status event corrects it.
    }
  },
  setWallet(wallet) {
    set({ wallet });
  },
}));

subscribe('engine.status', (engine) => useEngineStore.setState({ engine }));
