import type { Database } from 'better-sqlite3';

export function createIdempotencyKeysRepo(db: Database) {
  const select = db.prepare<[string, string], { request_hash: string; invoice_id: string }>(
    'SELECT request_hash, invoice_id FROM idempotency_keys WHERE api_key_id = ? AND key = ?',
  );
  const insert = db.prepare(
    'INSERT INTO idempotency_keys (api_key_id, key, request_hash, invoice_id, created_at) VALUES (?, ?, ?, ?, ?)',
  );
  return {
    find(apiKeyId: string, key: string): { requestHash: string; invoiceId: string } | undefined {
      const row = select.get(apiKeyId, key);
      return row && { requestHash: row.request_hash, invoiceId: row.invoice_id };
    },
    insert(entry: { apiKeyId: string; key: string; requestHash: string; invoiceId: string; createdAt: string }): void {
      insert.run(entry.apiKeyId, entry.key, entry.requestHash, entry.invoiceId, entry.createdAt);
    },
  };
}
export type IdempotencyKeysRepo = ReturnType<typeof createIdempotencyKeysRepo>;
