import type { Migration } from './index.ts';

/**
 * `recent_blocks.block_time` may be unknown. A catch-up learns the hashes of most of the reorg
 * window from one eth_call (scanner/ancestor-hashes.ts), which carries no times; only the
 * newest blocks' headers are read, for the chain's block time. SQLite cannot drop NOT NULL from a
 * column, so the table is rebuilt (it holds a few hundred rows at most).
 */
export const m0120RecentBlockTimes: Migration = {
  version: 120,
  name: 'recent-block-times',
  up(db) {
    db.exec(`
      CREATE TABLE recent_blocks_next (
        chain_id INTEGER NOT NULL,
        block_number INTEGER NOT NULL,
        block_hash TEXT NOT NULL,
        parent_hash TEXT NOT NULL,
        block_time TEXT,
        PRIMARY KEY (chain_id, block_number)
      ) STRICT;
      INSERT INTO recent_blocks_next (chain_id, block_number, block_hash, parent_hash, block_time)
        SELECT chain_id, block_number, block_hash, parent_hash, block_time FROM recent_blocks;
      DROP TABLE recent_blocks;
      ALTER TABLE recent_blocks_next RENAME TO recent_blocks;
    `);
  },
};
