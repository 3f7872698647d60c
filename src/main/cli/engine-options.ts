import type { KeystoreKind } from '../../shared/domain.ts';
import { TillError } from '../engine/lib/errors.ts';
import { promptHidden } from './prompt.ts';

export type KeystoreOption = KeystoreKind | 'auto';

export function parseKeystore(value: string): KeystoreOption {
  if (value === 'os' || value === 'file' || value === 'auto') return value;
  throw new TillError('VALIDATION_FAILED', `--keystore must be os, file or auto (got "${value.slice(0, 20)}").`);
}

/** The file keystore's passphrase: TILL_PASSPHRASE, else a prompt on the terminal. */
export function passphraseSource(options: { confirm?: boolean } = {}): () => Promise<string> {
  return async () => {
    const fromEnv = process.env.TILL_PASSPHRASE;
    if (fromEnv) return fromEnv;
    if (!process.stdin.isTTY) {
      throw new TillError(
        'VAULT_LOCKED',
        'The file keystore needs its passphrase: set TILL_PASSPHRASE, or run till in a terminal to be asked.',
      );
    }
    const first = await promptHidden('Keystore passphrase: ');
    if (options.confirm) {
      const second = await promptHidden('Repeat the passphrase: ');
      if (first !== second) throw new TillError('VALIDATION_FAILED', 'The two passphrases differ. Nothing was changed.');
    }
    return first;
  };
}
