import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { call, errorMessage } from '../../transport/index.ts';
import { ErrorText } from '../../ui/Dialog.tsx';
import { KeystorePassphraseField, useKeystorePassphrase } from './KeystorePassphraseField.tsx';
import { Field } from '../../ui/Field.tsx';
import { Spinner } from '../../ui/Spinner.tsx';
import { useOnboardingStore } from './onboarding-store.ts';

const WORDS_TO_CONFIRM = 3;

/** Distinct random word positions (0-based), ascending, so the form reads top to bottom. */
function pickPositions(count: number, wordCount: number): number[] {
  const positions = new Set<number>();
  const random = new Uint32Array(1);
  while (positions.size < Math.min(count, wordCount)) {
    crypto.getRandomValues(random);
    positions.add(random[0]! % wordCount);
  }
  return [...positions].sort((a, b) => a - b);
}

export function CreateWalletStep() {
  const { goTo, walletReady } = useOnboardingStore();
  const [mnemonic, setMnemonic] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [answers, setAnswers] = useState<Record<number, string>>({});
  const [mismatch, setMismatch] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const keystore = useKeystorePassphrase();

  useEffect(() => {
    let cancelled = false;
    call('wallet.generateMnemonic', {})
      .then((result) => !cancelled && setMnemonic(result.mnemonic))
      .catch((caught) => !cancelled && setLoadError(errorMessage(caught)));
    return () => {
      cancelled = true;
    };
  }, []);

  const words = useMemo(() => mnemonic?.trim().split(/\s+/) ?? [], [mnemonic]);
  const positions = useMemo(() => pickPositions(WORDS_TO_CONFIRM, words.length), [words.length]);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!mnemonic) return;
    const wrong = positions.filter((position) => (answers[position] ?? '').trim().toLowerCase() !== words[position]);
    if (wrong.length > 0) {
      const names = wrong.map((position) => `#${position + 1}`);
      const list = names.length === 1 ? `Word ${names[0]} does` : `Words ${names.slice(0, -1).join(', ')} and ${names.at(-1)} do`;
      setMismatch(`${list} not match. Check your written copy against the list above.`);
      return;
    }
    setMismatch(null);
    setError(null);
    setBusy(true);
    try {
      const wallet = await call('wallet.create', { mnemonic, ...keystore.input() });
      setMnemonic(null);
      walletReady(wallet);
    } catch (caught) {
      if (!keystore.handle(caught)) setError(errorMessage(caught));
      setBusy(false);
    }
  };

  if (loadError) {
    return (
      <div className="onboarding__panel">
        <ErrorText message={loadError} />
        <button type="button" className="button" onClick={() => goTo('choose')}>
          Back
        </button>
      </div>
    );
  }
  if (!mnemonic) {
    return (
      <div className="onboarding__panel center-block">
        <Spinner label="Generating recovery words" />
      </div>
    );
  }

  return (
    <div className="onboarding__panel onboarding__panel--wide">
      <p className="eyebrow">Step 1 of 2 · Back up your wallet</p>
      <h1 className="onboarding__title">Write down your recovery words</h1>
      <div className="callout callout--warning" role="note">
        <div>
          <p className="callout__title">These 24 words are the only backup of your money</p>
          <p className="callout__body">
            Write them on paper, in order, and keep it somewhere safe. Anyone with these words can take your funds; if you lose
            them and this computer, nobody can recover them — not even Till. Do not photograph them or store them in a cloud
            service.
          </p>
        </div>
      </div>
      <ol className="mnemonic-grid" aria-label="Recovery words">
        {words.map((word, index) => (
          <li key={index} className="mnemonic-grid__item">
            <span className="mnemonic-grid__number tabular" aria-hidden="true">
              {index + 1}
            </span>
            <span className="mnemonic-grid__word mono" data-testid="mnemonic-word">
              {word}
            </span>
          </li>
        ))}
      </ol>

      <form className="confirm-words" onSubmit={onSubmit} noValidate>
        <h2 className="section-title">Check your copy</h2>
        <p className="muted">Enter these words from what you wrote down, to make sure the backup is complete.</p>
        <div className="confirm-words__inputs">
          {positions.map((position) => (
            <Field key={position} label={`Word #${position + 1}`}>
              <input
                className="input mono"
                type="text"
                autoComplete="off"
                autoCapitalize="none"
                spellCheck={false}
                value={answers[position] ?? ''}
                onChange={(event) => setAnswers((current) => ({ ...current, [position]: event.target.value }))}
              />
            </Field>
          ))}
        </div>
        {mismatch && <ErrorText message={mismatch} />}
        <KeystorePassphraseField state={keystore} />
        {error && <ErrorText message={error} />}
        <div className="form__actions form__actions--split">
          <button type="button" className="button button--ghost" onClick={() => goTo('choose')} disabled={busy}>
            Back
          </button>
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? 'Creating wallet…' : 'Confirm'}
          </button>
        </div>
      </form>
    </div>
  );
}
