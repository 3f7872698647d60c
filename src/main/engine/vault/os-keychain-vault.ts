import { createHash, randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { AsyncEntry, type EntryOptions } from '@napi-rs/keyring';
import { TillError } from '../lib/errors.ts';
import { assertSecretName, type KeyVault } from './key-vault.ts';

/*
 * Backend choice on Linux (found in @napi-rs/keyring 2.1.2's index.d.ts and README):
 * by default an Entry tries the Secret Service (gnome-keyring, KWallet, KeePassXC over the session
 * D-Bus) and silently falls back to the kernel keyutils store when none is reachable. keyutils
 * lives in kernel memory and is lost at logout/reboot, which for a mnemonic means losing the
 * wallet. The binding gives no way to ask an entry which store it ended up in, but it does let us
 * pin one: `{ linux: { store: 'secret-service' } }` makes the entry fail instead of falling back.
 * So on Linux every entry is pinned to the Secret Service and keyutils is never used. The option
 * is ignored on macOS (Keychain) and Windows (Credential Manager), whose stores are persistent.
 *
 * Observed here: without a session bus the pinned entry fails with "Platform failure: DBus error:
 * ... set your DBUS_SESSION_BUS_ADDRESS"; an unpinned one fails with "Couldn't access platform
 * storage: AccessDenied" (its keyutils fallback is refused in containers too).
 */
const ENTRY_OPTIONS: EntryOptions = { linux: { store: 'secret-service' } };

const DEFAULT_SERVICE = 'till';

// An unlock prompt on a locked keyring may wait for the user; a probe must not hang start-up forever.
const PROBE_TIMEOUT_MS = 30_000;

export interface OsKeychainVaultOptions {
  /** Keychain service name; entries show up under it in the OS keychain UI. */
  service?: string;
  /** Separates data dirs sharing one keychain; see `vaultNamespaceFor`. */
  namespace: string;
}

/**
 * The namespace for a data dir: two data dirs (e.g. a test install beside the real one) never
 * read each other's mnemonic. Derived from the absolute path, so moving a data dir requires
 * moving its secrets too.
 *
 * @example vaultNamespaceFor('/home/me/.config/till') // '3f2a9c0d1e4b5a67'
 */
export function vaultNamespaceFor(dataDir: string): string {
  return createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 16);
}

/** Advice shown whenever the OS keychain cannot be used. */
export function osKeychainAdvice(): string {
  if (process.platform === 'linux') {
    return (
      'Install and unlock a Secret Service provider (gnome-keyring, KWallet or KeePassXC) in your desktop ' +
      'session, or start Till with --keystore file to keep the wallet in a passphrase-protected file instead.'
    );
  }
  return 'Unlock the system keychain, or start Till with --keystore file to keep the wallet in a passphrase-protected file instead.';
}

function describeKeyringError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s+/g, ' ').trim() || 'unknown keychain error';
}

function unavailable(action: string, error: unknown): TillError {
  return new TillError(
    'VAULT_UNAVAILABLE',
    `Till could not ${action} the system keychain (${describeKeyringError(error)}). ${osKeychainAdvice()}`,
    { cause: error },
  );
}

function openEntry(service: string, account: string): AsyncEntry {
  // The constructor itself throws when a pinned store is unavailable.
  return new AsyncEntry(service, account, ENTRY_OPTIONS);
}

/**
 * A vault in the OS keychain: one keychain entry per secret, account `${namespace}/${name}`.
 *
 * @example
 * const vault = createOsKeychainVault({ namespace: vaultNamespaceFor(dataDir) });
 * await vault.setSecret(WALLET_SECRET, encoded);
 */
export function createOsKeychainVault(options: OsKeychainVaultOptions): KeyVault {
  const service = options.service ?? DEFAULT_SERVICE;
  const { namespace } = options;
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(namespace)) {
    throw new TillError('VALIDATION_FAILED', `Keychain namespace "${namespace}" must be 1-64 letters, digits, '.', '_' or '-'.`);
  }
  const accountFor = (name: string): string => {
    assertSecretName(name);
    return `${namespace}/${name}`;
  };

  return {
    kind: 'os',
    async getSecret(name) {
      const account = accountFor(name);
      try {
        return await openEntry(service, account).getPassword();
      } catch (error) {
        throw unavailable('read from', error);
      }
    },
    async setSecret(name, value) {
      const account = accountFor(name);
      try {
        await openEntry(service, account).setPassword(value);
      } catch (error) {
        throw unavailable('write to', error);
      }
    },
    async deleteSecret(name) {
      const account = accountFor(name);
      try {
        await openEntry(service, account).deleteCredential();
      } catch (error) {
        throw unavailable('delete from', error);
      }
    },
  };
}

export type OsKeychainProbe = { usable: true } | { usable: false; reason: string };

/**
 * Writes, reads back and deletes a throwaway entry. Only a full round trip proves the keychain
 * works: some stores accept a write while locked and fail on read, or the reverse.
 */
export async function probeOsKeychain(options: { service?: string; timeoutMs?: number } = {}): Promise<OsKeychainProbe> {
  const service = options.service ?? DEFAULT_SERVICE;
  const signal = AbortSignal.timeout(options.timeoutMs ?? PROBE_TIMEOUT_MS);
  const account = `probe/${randomUUID()}`;
  const expected = randomUUID();
  const unusable = (what: string, error?: unknown): OsKeychainProbe => ({
    usable: false,
    reason:
      `The system keychain is not usable: ${what}${error === undefined ? '' : ` (${describeKeyringError(error)})`}. ` +
      osKeychainAdvice(),
  });

  let entry: AsyncEntry;
  try {
    entry = openEntry(service, account);
  } catch (error) {
    return unusable(
      process.platform === 'linux' ? 'no Secret Service is reachable on the session D-Bus' : 'it cannot be opened',
      error,
    );
  }
  try {
    await entry.setPassword(expected, signal);
  } catch (error) {
    return unusable(signal.aborted ? 'it did not answer in time (is it locked?)' : 'writing a test entry failed', error);
  }
  let actual: string | null;
  try {
    actual = await entry.getPassword(signal);
  } catch (error) {
    await entry.deleteCredential().catch(() => undefined);
    return unusable(signal.aborted ? 'it did not answer in time (is it locked?)' : 'reading a test entry back failed', error);
  }
  try {
    await entry.deleteCredential(signal);
  } catch (error) {
    return unusable('deleting a test entry failed', error);
  }
  if (actual !== expected) return unusable('a test entry did not read back as written');
  return { usable: true };
}
