import type { Database } from 'better-sqlite3';

export interface ScanCursor {
  chainId: number;
  blockNumber: number;
  /** '' when unknown (after a rescan request): the next step does not check it. */
  blockHash: string;
  updatedAt: string;
}

interface CursorRow {
  chain_id: number;
  block_number: number;
  block_hash: string;
  updated_at: string;
}

const toCursor = (row: CursorRow): ScanCursor => ({
  chainId: row.chain_id,
  blockNumber: row.block_number,
  blockHash: row.block_hash,
  updatedAt: row.updated_at,
});

/** Each chain's scan position: the last block whose payments are recorded, and its hash. */
export function createScanCursorsRepo(db: Database) {
  const select = db.prepare<[number], CursorRow>('SELECT * FROM scan_cursors WHERE chain_id = ?');
  const upsert = db.prepare(`
    INSERT INTO scan_cursors (chain_id, block_number, block_hash, updated_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (chain_id) DO UPDATE SET block_number = excluded.block_number, block_hash = excluded.block_hash,
      updated_at = excluded.updated_at`);
  return {
    get(chainId: number): ScanCursor | undefined {
      const row = select.get(chainId);
      return row && toCursor(row);
    },
    set(chainId: number, blockNumber: number, blockHash: string, now: string): void {
      upsert.run(chainId, blockNumber, blockHash, now);
    },
  };
}
export type ScanCursorsRepo = ReturnType<typeof createScanCursorsRepo>;
