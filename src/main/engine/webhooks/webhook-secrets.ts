import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { WEBHOOK_SECRET_PREFIX } from '../../../shared/webhooks.ts';
import type { Store } from '../db/store.ts';
import type { WebhookSecretRecord } from '../db/repositories/webhook-secrets-repo.ts';
import { isoTime } from '../lib/clock.ts';
import { TillError } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';
import { SecretName, type KeyVault } from '../vault/key-vault.ts';

/** `whsec_` + 32 random bytes, base64url. */
export function generateWebhookSecret(): string {
  return `${WEBHOOK_SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;
}

const hintOf = (secret: string) => `…${secret.slice(-4)}`;
const FORMAT = 'v1';

/**
 * Webhook signing secrets, kept out of the database in plaintext: each is stored there
 * AES-256-GCM-encrypted under one random key that lives in the vault (OS keychain or passphrase
 * file). One vault read per process instead of one per secret, and the key never changes, so
 * the database and the vault cannot drift apart the way per-secret vault entries could.
 *
 * The key's vault name carries a random id recorded in the database. Two processes creating the
 * key at once each write their own name; the first to record its id in the database wins, the
 * other drops its entry — so a secret is never encrypted under a key that gets overwritten.
 */
export function createWebhookSecretBox(deps: { store: Store; vault: () => Promise<KeyVault> }) {
  const { store } = deps;
  let key: Buffer | undefined;
  const plaintexts = new Map<string, string>();
  const rowsByEndpoint = new Map<string, WebhookSecretRecord[]>();
  let rowsMark = '';

  async function loadKey(create: boolean): Promise<Buffer> {
    if (key) return key;
    const vault = await deps.vault();
    const recorded = store.settings.get('webhook_key_id');
    if (recorded) {
      const stored = await vault.getSecret(SecretName.webhookKey(recorded));
      if (stored) return (key = Buffer.from(stored, 'base64'));
      if (!create)
        throw new TillError(
          'VAULT_UNAVAILABLE',
          'The key that protects the webhook secrets is missing from the keystore (a database restored on another computer, or another keystore). Rotate each endpoint’s secret (Webhooks → Rotate secret) to issue new ones.',
        );
    }
    if (!create) throw new TillError('VAULT_UNAVAILABLE', 'No webhook secrets exist yet.');
    const id = newId('whk', 16);
    const fresh = randomBytes(32);
    await vault.setSecret(SecretName.webhookKey(id), fresh.toString('base64'));
    const winner = store.write(() => {
      const now = store.settings.get('webhook_key_id');
      if (now && now !== recorded) return now;
      store.settings.set('webhook_key_id', id);
      // A key this keystore never had (a restore onto another computer): what it sealed can
      // never be opened here, so a new secret (rotation, a new endpoint) starts a new key and
      // the unreadable ones go. Endpoints without a secret wait until they are given one.
      if (recorded) store.webhookSecrets.dropAll();
      return id;
    });
    if (winner !== id) {
      await vault.deleteSecret(SecretName.webhookKey(id));
      return loadKey(false);
    }
    // The passphrase file is rewritten whole: a write by another process at the same moment can
    // drop ours. The database now names our key, so make sure the vault still has it.
    if ((await vault.getSecret(SecretName.webhookKey(id))) !== fresh.toString('base64'))
      await vault.setSecret(SecretName.webhookKey(id), fresh.toString('base64'));
    return (key = fresh);
  }

  function encrypt(plaintext: string, withKey: Buffer): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', withKey, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${FORMAT}.${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64url')}`;
  }

  function decrypt(sealed: string, withKey: Buffer): string {
    const [format, data] = sealed.split('.');
    if (format !== FORMAT || !data) throw new TillError('VAULT_FILE_CORRUPT', 'A webhook secret in the database is damaged.');
    const raw = Buffer.from(data, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', withKey, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    try {
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch (error) {
      throw new TillError('VAULT_FILE_CORRUPT', 'A webhook secret in the database does not decrypt with the keystore’s key.', {
        cause: error,
      });
    }
  }

  return {
    /**
     * Seals a secret for an endpoint (call before the transaction that inserts it: the vault is
     * async). Returns the row to insert.
     */
    async seal(endpointId: string, secret: string, now: number) {
      const sealed = encrypt(secret, await loadKey(true));
      const id = newId('whs');
      plaintexts.set(id, secret);
      return { id, endpointId, ciphertext: sealed, hint: hintOf(secret), createdAt: isoTime(now) };
    },
    /**
     * The plaintext secrets that sign for an endpoint now, newest first. The endpoint's secret
     * rows are read once and kept until a secret changes (rotation, expiry drop, another
     * process's write: see the repository's change mark); which of them sign is decided by the
     * time given, so an overlap ends on time without a read.
     */
    async activeSecrets(endpointId: string, now: number): Promise<string[]> {
      const mark = store.webhookSecrets.changeMark();
      if (mark !== rowsMark) {
        rowsMark = mark;
        rowsByEndpoint.clear();
      }
      let all = rowsByEndpoint.get(endpointId);
      if (!all) {
        all = store.webhookSecrets.forEndpoint(endpointId);
        // Rows read inside a transaction may yet be rolled back: use them, keep them not.
        if (!store.db.inTransaction) rowsByEndpoint.set(endpointId, all);
      }
      const at = isoTime(now);
      const rows = all.filter((row) => row.expiresAt === null || row.expiresAt > at);
      if (rows.length === 0) return [];
      const missing = rows.filter((row) => !plaintexts.has(row.id));
      if (missing.length > 0) {
        const withKey = await loadKey(false);
        for (const row of missing) plaintexts.set(row.id, decrypt(row.ciphertext, withKey));
      }
      return rows.map((row) => plaintexts.get(row.id)!);
    },
    /** Whether the vault key is at hand (no async work needed to sign). */
    ready(): boolean {
      return key !== undefined;
    },
  };
}
export type WebhookSecretBox = ReturnType<typeof createWebhookSecretBox>;
