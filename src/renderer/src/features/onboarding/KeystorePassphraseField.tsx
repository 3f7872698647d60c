import { useState } from 'react';
import { BridgeError } from '../../transport/index.ts';
import { Field } from '../../ui/Field.tsx';

/**
 * Where no OS keychain is usable (a Linux box without a Secret Service), the engine answers
 * VAULT_LOCKED: the words must go to a passphrase-encrypted file, and only the merchant can
 * choose that passphrase. This asks for it after that answer, and only then.
 */
export function useKeystorePassphrase() {
  const [needed, setNeeded] = useState(false);
  const [value, setValue] = useState('');
  return {
    needed,
    value,
    setValue,
    /** The fields to add to a wallet.create / wallet.import call. */
    input(): { keystorePassphrase?: string } {
      return needed && value ? { keystorePassphrase: value } : {};
    },
    /** True when the error asked for a keystore passphrase (the form then shows the field). */
    handle(error: unknown): boolean {
      if (error instanceof BridgeError && error.code === 'VAULT_LOCKED' && !needed) {
        setNeeded(true);
        return true;
      }
      return false;
    },
  };
}

export function KeystorePassphraseField({ state }: { state: ReturnType<typeof useKeystorePassphrase> }) {
  if (!state.needed) return null;
  return (
    <div className="callout callout--warning callout--stacked" role="group" aria-labelledby="keystore-passphrase-title">
      <p className="callout__title" id="keystore-passphrase-title">
        This computer has no system keychain Till can use
      </p>
      <p className="callout__body">
        Choose a passphrase: Till encrypts your recovery words with it in a file in its data folder. Keep it safe; Till asks for
        it when it needs the wallet's keys.
      </p>
      <Field label="Keystore passphrase" hint="At least 8 characters.">
        <input
          className="input"
          type="password"
          autoComplete="new-password"
          value={state.value}
          onChange={(event) => state.setValue(event.target.value)}
        />
      </Field>
    </div>
  );
}
