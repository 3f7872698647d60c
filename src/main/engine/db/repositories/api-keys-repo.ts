import type { Database } from 'better-sqlite3';
import type { ApiKeyInfo, ApiKeyScope } from '../../../../shared/domain.ts';

interface ApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  scopes: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

const toInfo = (row: ApiKeyRow): ApiKeyInfo => ({
  id: row.id,
  name: row.name,
  prefix: row.prefix,
  scopes: JSON.parse(row.scopes) as ApiKeyScope[],
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
  revokedAt: row.revoked_at,
});

const COLUMNS = 'id, name, prefix, scopes, created_at, last_used_at, revoked_at';

/** Only a SHA-256 hash of each key is stored; the key itself is shown once at creation. */
export function createApiKeysRepo(db: Database) {
  const insert = db.prepare('INSERT INTO api_keys (id, name, prefix, hash, scopes, created_at) VALUES (?, ?, ?, ?, ?, ?)');
  const selectAll = db.prepare<[], ApiKeyRow>(`SELECT ${COLUMNS} FROM api_keys ORDER BY created_at, id`);
  const selectOne = db.prepare<[string], ApiKeyRow>(`SELECT ${COLUMNS} FROM api_keys WHERE id = ?`);
  const selectByHash = db.prepare<[string], ApiKeyRow>(`SELECT ${COLUMNS} FROM api_keys WHERE hash = ?`);
  const revoke = db.prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL');
  const touch = db.prepare('UPDATE api_keys SET last_used_at = ? WHERE id = ?');
  return {
    insert(key: {
      id: string;
      name: string;
      prefix: string;
      hash: string;
      scopes: ApiKeyScope[];
      createdAt: string;
    }): ApiKeyInfo {
      insert.run(key.id, key.name, key.prefix, key.hash, JSON.stringify(key.scopes), key.createdAt);
      return toInfo(selectOne.get(key.id)!);
    },
    list(): ApiKeyInfo[] {
      return selectAll.all().map(toInfo);
    },
    get(id: string): ApiKeyInfo | undefined {
      const row = selectOne.get(id);
      return row && toInfo(row);
    },
    findByHash(hash: string): ApiKeyInfo | undefined {
      const row = selectByHash.get(hash);
      return row && toInfo(row);
    },
    revoke(id: string, now: string): boolean {
      return revoke.run(now, id).changes > 0;
    },
    touch(id: string, now: string): void {
      touch.run(now, id);
    },
  };
}
export type ApiKeysRepo = ReturnType<typeof createApiKeysRepo>;
