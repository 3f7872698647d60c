import { TillError } from '../lib/errors.ts';

/**
 * A generic secret store. The BIP39 mnemonic lives only here; nothing else in Till writes it to
 * disk or to the database. Values are opaque strings; the vault never logs them.
 */
export interface KeyVault {
  readonly kind: 'os' | 'file';
  /** Resolves `null` when no secret of that name is stored. */
  getSecret(name: string): Promise<string | null>;
  /** Creates or replaces the secret. */
  setSecret(name: string, value: string): Promise<void>;
  /** Deleting a secret that does not exist is not an error. */
  deleteSecret(name: string): Promise<void>;
}

/** Names under which Till stores its secrets. Stable: renaming one orphans what users stored. */
export const SecretName = {
  wallet: 'wallet',
  /** `webhook-key.<id>`: the key that encrypts webhook signing secrets in the database. */
  webhookKey: (id: string) => `webhook-key.${id.toLowerCase()}`,
} as const;

export const WALLET_SECRET = SecretName.wallet;

// Names end up in OS keychain account names and JSON keys, so they stay short and boring.
const SECRET_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export function assertSecretName(name: string): void {
  if (!SECRET_NAME_PATTERN.test(name)) {
    throw new TillError(
      'VALIDATION_FAILED',
      `"${name}" is not a valid secret name: use 1-64 lower-case letters, digits, '.', '_' or '-'.`,
    );
  }
}
