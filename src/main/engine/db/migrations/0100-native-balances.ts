import type { Migration } from './index.ts';

/**
 * Balance-first native detection. `native_balances` holds the balance of each watched native
 * deposit address at one block, named in `native_balance_snapshots`; the scanner trusts the rows
 * only while that block is its cursor block (same number and hash), so a reorg or a rescan, which
 * move the cursor, make it read them again. `chains.native_detection` is the merchant's choice.
 */
export const m0100NativeBalances: Migration = {
  version: 100,
  name: 'native-balances',
  up(db) {
    db.exec(`
      ALTER TABLE chains ADD COLUMN native_detection TEXT NOT NULL DEFAULT 'auto'
        CHECK (native_detection IN ('auto', 'balances', 'blocks'));
      CREATE TABLE native_balance_snapshots (
        chain_id INTEGER PRIMARY KEY REFERENCES chains (chain_id) ON DELETE CASCADE,
        block_number INTEGER NOT NULL,
        block_hash TEXT NOT NULL
      ) STRICT;
      CREATE TABLE native_balances (
        chain_id INTEGER NOT NULL REFERENCES chains (chain_id) ON DELETE CASCADE,
        address TEXT NOT NULL,
        balance TEXT NOT NULL,
        PRIMARY KEY (chain_id, address)
      ) STRICT;
    `);
  },
};
