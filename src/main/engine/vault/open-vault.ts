import { access, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TillError } from '../lib/errors.ts';
import type { KeyVault } from './key-vault.ts';
import { createOsKeychainVault, probeOsKeychain, vaultNamespaceFor } from './os-keychain-vault.ts';
import { createPassphraseFileVault } from './passphrase-file-vault.ts';

export type KeystoreChoice = 'os' | 'file' | 'auto';

export const KEYSTORE_FILE_NAME = 'keystore.till-vault';
/**
 * Written (without secrets) the first time something is stored in the OS keychain. It lets
 * `auto` know the secrets are in the keychain, so a keychain that is down at start-up is
 * reported instead of silently switching to an empty file keystore, where the wallet would look
 * missing and the merchant might create a new one.
 */
export const OS_KEYCHAIN_MARKER_NAME = 'keystore.os-keychain';

export interface OpenVaultOptions {
  keystore: KeystoreChoice;
  dataDir: string;
  /** Asked only when the file keystore is used. Callers read TILL_PASSPHRASE or prompt. */
  passphrase?: () => Promise<string>;
}

export function keystoreFilePath(dataDir: string): string {
  return join(dataDir, KEYSTORE_FILE_NAME);
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** Which keystore already holds this data dir's secrets, if any. A keystore file wins. */
export async function detectExistingKeystore(dataDir: string): Promise<'os' | 'file' | null> {
  if (await exists(keystoreFilePath(dataDir))) return 'file';
  if (await exists(join(dataDir, OS_KEYCHAIN_MARKER_NAME))) return 'os';
  return null;
}

/**
 * Opens the data dir's vault. `auto` keeps using whichever keystore already holds secrets;
 * for a fresh data dir it picks the OS keychain when a probe round trip works, else the file.
 *
 * @example
 * const vault = await openVault({ keystore: 'auto', dataDir, passphrase: readPassphraseFromEnvOrPrompt });
 */
export async function openVault(options: OpenVaultOptions): Promise<KeyVault> {
  const { dataDir } = options;
  let choice = options.keystore;
  if (choice === 'auto') {
    const existing = await detectExistingKeystore(dataDir);
    if (existing !== null) {
      choice = existing;
    } else {
      choice = (await probeOsKeychain()).usable ? 'os' : 'file';
    }
  }
  return choice === 'os' ? openOsVault(dataDir) : openFileVault(dataDir, options.passphrase);
}

async function openOsVault(dataDir: string): Promise<KeyVault> {
  const probe = await probeOsKeychain();
  if (!probe.usable) throw new TillError('VAULT_UNAVAILABLE', probe.reason);
  const vault = createOsKeychainVault({ namespace: vaultNamespaceFor(dataDir) });
  const markerPath = join(dataDir, OS_KEYCHAIN_MARKER_NAME);
  let marked = false;
  return {
    kind: vault.kind,
    getSecret: (name) => vault.getSecret(name),
    deleteSecret: (name) => vault.deleteSecret(name),
    async setSecret(name, value) {
      if (!marked) {
        try {
          await mkdir(dataDir, { recursive: true, mode: 0o700 });
          await writeFile(
            markerPath,
            `${JSON.stringify({ keystore: 'os', service: 'till', namespace: vaultNamespaceFor(dataDir) })}\n`,
            { mode: 0o600 },
          );
        } catch (error) {
          throw new TillError(
            'VAULT_UNAVAILABLE',
            `Till could not write ${markerPath} (${(error as Error).message}). Check that the data folder is writable.`,
            { cause: error },
          );
        }
        marked = true;
      }
      await vault.setSecret(name, value);
    },
  };
}

async function openFileVault(dataDir: string, passphrase: (() => Promise<string>) | undefined): Promise<KeyVault> {
  const path = keystoreFilePath(dataDir);
  const value = passphrase === undefined ? undefined : await passphrase();
  if (value === undefined || value === '') {
    throw new TillError(
      'VAULT_LOCKED',
      `The keystore file ${path} needs a passphrase. Set the TILL_PASSPHRASE environment variable, or run Till ` +
        'in a terminal so it can ask for it.',
    );
  }
  return createPassphraseFileVault({ path, passphrase: value });
}
