import type { Database } from 'better-sqlite3';

export interface RecentBlock {
  number: number;
  hash: string;
  parentHash: string;
  /** Null for a block known by its hash alone (from AncestorHashes, in a catch-up's reorg window). */
  time: string | null;
}

/** Hashes of recently scanned blocks (the reorg window): what a parent-hash check compares against. */
export function createRecentBlocksRepo(db: Database) {
  const upsert = db.prepare(
    'INSERT INTO recent_blocks (chain_id, block_number, block_hash, parent_hash, block_time) VALUES (?, ?, ?, ?, ?) ' +
      'ON CONFLICT (chain_id, block_number) DO UPDATE SET block_hash = excluded.block_hash, parent_hash = excluded.parent_hash, block_time = excluded.block_time',
  );
  const get = db.prepare<
    [number, number],
    { block_number: number; block_hash: string; parent_hash: string; block_time: string | null }
  >('SELECT * FROM recent_blocks WHERE chain_id = ? AND block_number = ?');
  const below = db.prepare<
    [number, number, number],
    { block_number: number; block_hash: string; parent_hash: string; block_time: string | null }
  >('SELECT * FROM recent_blocks WHERE chain_id = ? AND block_number <= ? ORDER BY block_number DESC LIMIT ?');
  const newestTimes = db.prepare<[number, number], { block_number: number; block_time: string | null }>(
    'SELECT block_number, block_time FROM recent_blocks WHERE chain_id = ? ORDER BY block_number DESC LIMIT ?',
  );
  const deleteAbove = db.prepare('DELETE FROM recent_blocks WHERE chain_id = ? AND block_number > ?');
  const prune = db.prepare('DELETE FROM recent_blocks WHERE chain_id = ? AND block_number < ?');
  const toBlock = (row: {
    block_number: number;
    block_hash: string;
    parent_hash: string;
    block_time: string | null;
  }): RecentBlock => ({
    number: row.block_number,
    hash: row.block_hash,
    parentHash: row.parent_hash,
    time: row.block_time,
  });
  return {
    put(chainId: number, block: RecentBlock): void {
      upsert.run(chainId, block.number, block.hash, block.parentHash, block.time);
    },
    get(chainId: number, number: number): RecentBlock | undefined {
      const row = get.get(chainId, number);
      return row && toBlock(row);
    },
    /** Stored blocks at or below `number`, newest first. */
    atOrBelow(chainId: number, number: number, limit: number): RecentBlock[] {
      return below.all(chainId, number, limit).map(toBlock);
    },
    /**
     * The chain's typical block time: the median gap between consecutive stored blocks, or null
     * with fewer than `minBlocks` of them (too little to tell a stall from a quiet chain).
     */
    medianBlockTimeMs(chainId: number, minBlocks = 8): number | null {
      const rows = newestTimes.all(chainId, 64);
      const gaps: number[] = [];
      for (let i = 1; i < rows.length; i++) {
        const newer = rows[i - 1]!;
        const older = rows[i]!;
        if (newer.block_number === older.block_number + 1 && newer.block_time !== null && older.block_time !== null)
          gaps.push(Date.parse(newer.block_time) - Date.parse(older.block_time));
      }
      if (gaps.length < minBlocks - 1) return null;
      gaps.sort((a, b) => a - b);
      return gaps[Math.floor(gaps.length / 2)]!;
    },
    deleteAbove(chainId: number, number: number): void {
      deleteAbove.run(chainId, number);
    },
    /** Keeps only the reorg window. */
    pruneBelow(chainId: number, number: number): void {
      prune.run(chainId, number);
    },
  };
}
export type RecentBlocksRepo = ReturnType<typeof createRecentBlocksRepo>;
