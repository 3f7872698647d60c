import { useOnboardingStore } from './onboarding-store.ts';

export function ChooseStep() {
  const goTo = useOnboardingStore((state) => state.goTo);
  return (
    <div className="onboarding__panel">
      <h1 className="onboarding__title">Welcome to Till</h1>
      <p className="onboarding__lead">
        Till takes crypto payments straight into a wallet only you control. Every invoice gets its own address derived from your
        wallet&rsquo;s recovery words — nobody else ever holds your funds.
      </p>
      <div className="choice-grid">
        <button
          type="button"
          className="choice"
          aria-labelledby="choice-create-title"
          aria-describedby="choice-create-body"
          onClick={() => goTo('create')}
        >
          <span className="choice__title" id="choice-create-title">
            Create a new wallet
          </span>
          <span className="choice__body" id="choice-create-body">
            Till generates 24 recovery words. You write them down; they are your backup.
          </span>
        </button>
        <button
          type="button"
          className="choice"
          aria-labelledby="choice-import-title"
          aria-describedby="choice-import-body"
          onClick={() => goTo('import')}
        >
          <span className="choice__title" id="choice-import-title">
            Import an existing wallet
          </span>
          <span className="choice__body" id="choice-import-body">
            Use 12 to 24 recovery words you already have (BIP39).
          </span>
        </button>
      </div>
    </div>
  );
}
