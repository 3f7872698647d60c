import { z } from 'zod';
import { TillError } from '../lib/errors.ts';
import { assertValidMnemonic } from './mnemonic.ts';

/**
 * What the vault stores under `WALLET_SECRET`. Holds the recovery phrase: never log it, never
 * put it in an error, never send it over IPC except to the backup screen.
 */
export interface WalletSecret {
  mnemonic: string;
  /** The optional BIP39 passphrase ("25th word"); '' when none. */
  passphrase: string;
}

const walletSecretV1Schema = z.object({
  v: z.literal(1),
  mnemonic: z.string(),
  passphrase: z.string(),
});

/** @example await vault.setSecret(WALLET_SECRET, encodeWalletSecret({ mnemonic, passphrase: '' })) */
export function encodeWalletSecret(secret: WalletSecret): string {
  const mnemonic = assertValidMnemonic(secret.mnemonic);
  return JSON.stringify({ v: 1, mnemonic, passphrase: secret.passphrase });
}

/** @example const { mnemonic, passphrase } = decodeWalletSecret(await vault.getSecret(WALLET_SECRET)) */
export function decodeWalletSecret(stored: string): WalletSecret {
  const damaged = (detail: string): TillError =>
    new TillError(
      'VAULT_FILE_CORRUPT',
      `The wallet entry in the keystore is damaged (${detail}). Re-import the wallet from its recovery phrase.`,
    );
  let json: unknown;
  try {
    json = JSON.parse(stored);
  } catch {
    // No cause: the parser's message can quote the stored text.
    throw damaged('it is not valid JSON');
  }
  if (
    typeof json === 'object' &&
    json !== null &&
    typeof (json as { v?: unknown }).v === 'number' &&
    (json as { v: number }).v > 1
  ) {
    throw new TillError(
      'VAULT_FORMAT_UNSUPPORTED',
      `The wallet entry in the keystore was written by a newer Till (format ${(json as { v: number }).v}). Update Till to use it.`,
    );
  }
  const parsed = walletSecretV1Schema.safeParse(json);
  if (!parsed.success) {
    const paths = parsed.error.issues.map((issue) => issue.path.join('.') || 'entry').join(', ');
    throw damaged(`missing or invalid: ${paths}`);
  }
  try {
    return { mnemonic: assertValidMnemonic(parsed.data.mnemonic), passphrase: parsed.data.passphrase };
  } catch {
    throw damaged('the stored recovery phrase is not valid');
  }
}
