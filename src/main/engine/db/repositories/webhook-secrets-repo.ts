import type { Database } from 'better-sqlite3';

export interface WebhookSecretRecord {
  id: string;
  endpointId: string;
  /** AES-256-GCM under the vault's webhook key (see webhooks/webhook-secrets.ts). */
  ciphertext: string;
  hint: string;
  createdAt: string;
  /** Null for the current secret; set on rotation for the one being phased out. */
  expiresAt: string | null;
}

interface SecretRow {
  id: string;
  endpoint_id: string;
  ciphertext: string;
  hint: string;
  created_at: string;
  expires_at: string | null;
}

const toRecord = (row: SecretRow): WebhookSecretRecord => ({
  id: row.id,
  endpointId: row.endpoint_id,
  ciphertext: row.ciphertext,
  hint: row.hint,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
});

export function createWebhookSecretsRepo(db: Database) {
  const insert = db.prepare('INSERT INTO webhook_secrets (id, endpoint_id, ciphertext, hint, created_at) VALUES (?, ?, ?, ?, ?)');
  // Newest first: the first one is the current secret.
  const active = db.prepare<[string, string], SecretRow>(
    'SELECT * FROM webhook_secrets WHERE endpoint_id = ? AND (expires_at IS NULL OR expires_at > ?) ORDER BY created_at DESC, rowid DESC',
  );
  const expireCurrent = db.prepare('UPDATE webhook_secrets SET expires_at = ? WHERE endpoint_id = ? AND expires_at IS NULL');
  const expireAll = db.prepare(
    'UPDATE webhook_secrets SET expires_at = ? WHERE endpoint_id = ? AND (expires_at IS NULL OR expires_at > ?)',
  );
  // `+?`: see the due query in webhook-deliveries-repo.ts (no re-prepare on every run).
  const forEndpoint = db.prepare<[string], SecretRow>(
    'SELECT * FROM webhook_secrets WHERE endpoint_id = +? ORDER BY created_at DESC, rowid DESC',
  );
  const dropAll = db.prepare('DELETE FROM webhook_secrets');
  const dropExpired = db.prepare('DELETE FROM webhook_secrets WHERE expires_at IS NOT NULL AND expires_at <= ?');
  // Changes by other connections (another process: the CLI) move SQLite's data_version; changes
  // through this repository move `written`. Endpoint removal cascades to its secrets without
  // either, but then the endpoint and its deliveries are gone too.
  const dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
  let written = 0;
  return {
    /**
     * A mark that differs whenever a secret may have been added, expired or dropped since it was
     * last read (by this process or another): what a cache of the secrets compares with.
     */
    changeMark(): string {
      return `${written}.${dataVersion.get()!}`;
    },
    insert(secret: Omit<WebhookSecretRecord, 'expiresAt'>): void {
      written++;
      insert.run(secret.id, secret.endpointId, secret.ciphertext, secret.hint, secret.createdAt);
    },
    /** The secrets that sign now, newest first. */
    active(endpointId: string, now: string): WebhookSecretRecord[] {
      return active.all(endpointId, now).map(toRecord);
    },
    /** Every secret of an endpoint, expired or not, newest first. */
    forEndpoint(endpointId: string): WebhookSecretRecord[] {
      return forEndpoint.all(endpointId).map(toRecord);
    },
    /** Rotation: the current secret keeps signing until `until`. */
    expireCurrent(endpointId: string, until: string): void {
      written++;
      expireCurrent.run(until, endpointId);
    },
    /** Replacement without overlap (a secret set from the config file). */
    expireAll(endpointId: string, now: string): void {
      written++;
      expireAll.run(now, endpointId, now);
    },
    /** Every secret, for a keystore that lost the key sealing them (see webhook-secrets.ts). */
    dropAll(): void {
      written++;
      dropAll.run();
    },
    /** Deletes secrets whose overlap ended; returns how many. */
    dropExpired(now: string): number {
      const dropped = dropExpired.run(now).changes;
      if (dropped > 0) written++;
      return dropped;
    },
  };
}
export type WebhookSecretsRepo = ReturnType<typeof createWebhookSecretsRepo>;
