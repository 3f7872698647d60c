import { useState, type FormEvent } from 'react';
import { call, errorMessage } from '../../transport/index.ts';
import { ErrorText } from '../../ui/Dialog.tsx';
import { KeystorePassphraseField, useKeystorePassphrase } from './KeystorePassphraseField.tsx';
import { Field } from '../../ui/Field.tsx';
import { useOnboardingStore } from './onboarding-store.ts';

const VALID_WORD_COUNTS = [12, 15, 18, 21, 24];

export function ImportWalletStep() {
  const { goTo, walletReady } = useOnboardingStore();
  const [phrase, setPhrase] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const keystore = useKeystorePassphrase();

  const words = phrase.trim().toLowerCase().split(/\s+/).filter(Boolean);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!VALID_WORD_COUNTS.includes(words.length)) {
      setError(`A recovery phrase has 12, 15, 18, 21 or 24 words; this one has ${words.length}.`);
      return;
    }
    setError(null);
    setBusy(true);
    try {
      const wallet = await call('wallet.import', {
        mnemonic: words.join(' '),
        ...(passphrase ? { bip39Passphrase: passphrase } : {}),
        ...keystore.input(),
      });
      setPhrase('');
      setPassphrase('');
      walletReady(wallet);
    } catch (caught) {
      if (!keystore.handle(caught)) setError(errorMessage(caught));
      setBusy(false);
    }
  };

  return (
    <form className="onboarding__panel" onSubmit={onSubmit} noValidate>
      <p className="eyebrow">Step 1 of 2 · Import</p>
      <h1 className="onboarding__title">Import an existing wallet</h1>
      <p className="onboarding__lead">
        Enter your recovery words in order, separated by spaces. They are stored encrypted on this computer only.
      </p>
      <Field label="Recovery phrase" hint={`${words.length} ${words.length === 1 ? 'word' : 'words'}`}>
        <textarea
          className="input textarea mono"
          rows={4}
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          value={phrase}
          onChange={(event) => setPhrase(event.target.value)}
        />
      </Field>
      <details className="disclosure">
        <summary>Advanced</summary>
        <Field
          label="BIP39 passphrase"
          hint="Only if your wallet was created with an extra passphrase (sometimes called the 25th word). A wrong passphrase gives a different, empty wallet."
        >
          <input
            className="input"
            type="password"
            autoComplete="off"
            value={passphrase}
            onChange={(event) => setPassphrase(event.target.value)}
          />
        </Field>
      </details>
      <KeystorePassphraseField state={keystore} />
      {error && <ErrorText message={error} />}
      <div className="form__actions form__actions--split">
        <button type="button" className="button button--ghost" onClick={() => goTo('choose')} disabled={busy}>
          Back
        </button>
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? 'Importing…' : 'Import wallet'}
        </button>
      </div>
    </form>
  );
}
