import { useEffect } from 'react';
import { OnboardingScreen } from '../features/onboarding/OnboardingScreen.tsx';
import { useOnboardingStore } from '../features/onboarding/onboarding-store.ts';
import { useConnectionStore } from '../transport/index.ts';
import { useEngineStore } from './engine-store.ts';
import { Shell } from './Shell.tsx';
import { LoadErrorScreen, LoadingScreen, SessionExpiredScreen } from './StartupScreens.tsx';

export function App() {
  const sessionExpired = useConnectionStore((state) => state.sessionExpired);
  const { wallet, loadError, load } = useEngineStore();
  const onboarding = useOnboardingStore((state) => state.active);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    if (wallet && !wallet.exists && !useOnboardingStore.getState().active) useOnboardingStore.getState().begin();
  }, [wallet]);

  if (sessionExpired) return <SessionExpiredScreen />;
  if (!wallet) return loadError ? <LoadErrorScreen message={loadError} onRetry={load} /> : <LoadingScreen />;
  if (onboarding || !wallet.exists) return <OnboardingScreen />;
  return <Shell />;
}
