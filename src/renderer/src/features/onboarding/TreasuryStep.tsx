import { TreasuryForm } from './TreasuryForm.tsx';
import { useOnboardingStore } from './onboarding-store.ts';
import { navigate } from '../../app/router.ts';

export function TreasuryStep() {
  const finish = useOnboardingStore((state) => state.finish);
  const done = () => navigate({ name: 'invoices' });
  return (
    <div className="onboarding__panel">
      <p className="eyebrow">Step 2 of 2 · Treasury</p>
      <h1 className="onboarding__title">Where should payments go?</h1>
      <p className="onboarding__lead">
        Your wallet is ready. Till can collect what each invoice receives into one treasury address you choose. You can change it
        any time in Settings.
      </p>
      <TreasuryForm
        onSaved={(wallet) => {
          finish(wallet);
          done();
        }}
        extraActions={
          <button
            type="button"
            className="button button--ghost"
            onClick={() => {
              finish();
              done();
            }}
          >
            Set later
          </button>
        }
      />
    </div>
  );
}
