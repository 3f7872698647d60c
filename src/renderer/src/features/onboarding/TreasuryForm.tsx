import { useState, type FormEvent, type ReactNode } from 'react';
import type { WalletStatus } from '../../../../shared/domain.ts';
import { call, errorMessage } from '../../transport/index.ts';
import { ErrorText } from '../../ui/Dialog.tsx';
import { Field } from '../../ui/Field.tsx';

export const ADDRESS_PATTERN = /^0x[0-9a-fA-F]{40}$/;

interface TreasuryFormProps {
  initial?: string | null;
  onSaved(wallet: WalletStatus): void;
  /** Extra buttons beside Save (e.g. "Set later"). */
  extraActions?: ReactNode;
}

/** Used by onboarding and by Settings → Wallet; the engine validates again (checksum included). */
export function TreasuryForm({ initial, onSaved, extraActions }: TreasuryFormProps) {
  const [address, setAddress] = useState(initial ?? '');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const value = address.trim();
    if (!ADDRESS_PATTERN.test(value)) {
      setFieldError('Enter an EVM address: 0x followed by 40 hexadecimal characters.');
      return;
    }
    setFieldError(null);
    setError(null);
    setBusy(true);
    try {
      const wallet = await call('wallet.setTreasury', { address: value });
      setBusy(false);
      onSaved(wallet);
    } catch (caught) {
      setError(errorMessage(caught));
      setBusy(false);
    }
  };

  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      <Field
        label="Treasury address"
        error={fieldError}
        hint="Payments are swept from invoice addresses to this address — for example your hardware wallet or exchange deposit address."
      >
        <input
          className="input mono"
          type="text"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          placeholder="0x…"
          value={address}
          onChange={(event) => setAddress(event.target.value)}
        />
      </Field>
      {error && <ErrorText message={error} />}
      <div className="form__actions">
        {extraActions}
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save treasury address'}
        </button>
      </div>
    </form>
  );
}
