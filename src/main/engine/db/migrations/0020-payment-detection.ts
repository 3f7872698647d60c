import type { Migration } from './index.ts';

const BASE_UNITS = (column: string) => `${column} TEXT NOT NULL CHECK (${column} <> '' AND ${column} NOT GLOB '*[^0-9]*')`;

/**
 * Payment detection: payments found on chain, each chain's scan position and recent block
 * hashes (the reorg window), alerts for the operator, and the operator log.
 */
export const m0020PaymentDetection: Migration = {
  version: 20,
  name: 'payment-detection',
  up(db) {
    db.exec(`
      ALTER TABLE invoices ADD COLUMN monitor_until TEXT;
      ALTER TABLE invoices ADD COLUMN creation_block INTEGER;
      ALTER TABLE invoices ADD COLUMN manual INTEGER NOT NULL DEFAULT 0 CHECK (manual IN (0, 1));
      ALTER TABLE invoices ADD COLUMN status_reason TEXT;
      UPDATE invoices SET monitor_until = strftime('%Y-%m-%dT%H:%M:%fZ', expires_at, '+24 hours');
      CREATE INDEX invoices_watch ON invoices (chain_id, status);
      -- Paused by the operator: the scanner keeps its position and resumes from there.
      ALTER TABLE chains ADD COLUMN paused INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1));

      -- One row per transfer to a deposit address. Unique by (chain, tx, log index): a rescan or a
      -- re-inclusion after a reorg updates the row instead of adding a second one. Native coin
      -- transfers use log_index -1 (the API shows null).
      CREATE TABLE payments (
        id INTEGER PRIMARY KEY,
        chain_id INTEGER NOT NULL,
        tx_hash TEXT NOT NULL,
        log_index INTEGER NOT NULL,
        invoice_id TEXT NOT NULL REFERENCES invoices (id),
        token_address TEXT,
        from_address TEXT NOT NULL,
        to_address TEXT NOT NULL,
        ${BASE_UNITS('amount')},
        block_number INTEGER NOT NULL,
        block_hash TEXT NOT NULL,
        block_time TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'orphaned')),
        counted INTEGER NOT NULL DEFAULT 1 CHECK (counted IN (0, 1)),
        detected_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (chain_id, tx_hash, log_index)
      ) STRICT;
      CREATE INDEX payments_invoice ON payments (invoice_id);
      CREATE INDEX payments_block ON payments (chain_id, block_number);

      CREATE TABLE scan_cursors (
        chain_id INTEGER PRIMARY KEY REFERENCES chains (chain_id) ON DELETE CASCADE,
        block_number INTEGER NOT NULL,
        block_hash TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

      -- Hashes of the most recent scanned blocks: the reorg window.
      CREATE TABLE recent_blocks (
        chain_id INTEGER NOT NULL,
        block_number INTEGER NOT NULL,
        block_hash TEXT NOT NULL,
        parent_hash TEXT NOT NULL,
        block_time TEXT NOT NULL,
        PRIMARY KEY (chain_id, block_number)
      ) STRICT;

      CREATE TABLE alerts (
        id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL UNIQUE,
        type TEXT NOT NULL,
        severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
        chain_id INTEGER,
        invoice_id TEXT,
        message TEXT NOT NULL,
        remedy TEXT NOT NULL,
        details TEXT,
        -- Collapses repeats of one condition (an endpoint down for an hour is one alert).
        dedupe_key TEXT UNIQUE,
        created_at TEXT NOT NULL,
        acknowledged_at TEXT,
        acknowledged_by TEXT
      ) STRICT;

      CREATE TABLE operator_log (
        id INTEGER PRIMARY KEY,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT,
        details TEXT,
        created_at TEXT NOT NULL
      ) STRICT;
    `);
  },
};
