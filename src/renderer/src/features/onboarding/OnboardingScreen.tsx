import { ChooseStep } from './ChooseStep.tsx';
import { CreateWalletStep } from './CreateWalletStep.tsx';
import { ImportWalletStep } from './ImportWalletStep.tsx';
import { TreasuryStep } from './TreasuryStep.tsx';
import { useOnboardingStore } from './onboarding-store.ts';
import { Logo } from '../../app/Logo.tsx';

export function OnboardingScreen() {
  const step = useOnboardingStore((state) => state.step);
  return (
    <main className="onboarding">
      <div className="onboarding__brand">
        <Logo />
      </div>
      {step === 'choose' && <ChooseStep />}
      {step === 'create' && <CreateWalletStep />}
      {step === 'import' && <ImportWalletStep />}
      {step === 'treasury' && <TreasuryStep />}
    </main>
  );
}
