import type { Migration } from './index.ts';

/**
 * Amounts in base units are stored as TEXT holding a canonical non-negative integer, because
 * SQLite integers are 64-bit and 10 ETH in wei (1e19) already overflows them. The CHECK keeps
 * anything but digits out; arithmetic happens in bigint in the engine.
 */
const BASE_UNITS = (column: string) => `${column} TEXT NOT NULL CHECK (${column} <> '' AND ${column} NOT GLOB '*[^0-9]*')`;

export const m0010Initial: Migration = {
  version: 10,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE wallet (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        fingerprint TEXT NOT NULL,
        deposit_xpub TEXT NOT NULL,
        keystore TEXT NOT NULL CHECK (keystore IN ('os', 'file')),
        next_index INTEGER NOT NULL DEFAULT 0 CHECK (next_index >= 0),
        created_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      -- Addresses derived ahead of need so creating an invoice never waits for EC math.
      CREATE TABLE address_pool (
        derivation_index INTEGER PRIMARY KEY,
        address TEXT NOT NULL UNIQUE
      ) STRICT;

      CREATE TABLE chains (
        chain_id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        rpc_urls TEXT NOT NULL,
        confirmations INTEGER NOT NULL CHECK (confirmations >= 1),
        poll_interval_ms INTEGER NOT NULL CHECK (poll_interval_ms >= 100),
        start_block INTEGER,
        enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
        native_symbol TEXT NOT NULL,
        native_decimals INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE tokens (
        chain_id INTEGER NOT NULL REFERENCES chains (chain_id) ON DELETE CASCADE,
        address TEXT NOT NULL,
        symbol TEXT NOT NULL,
        decimals INTEGER NOT NULL CHECK (decimals BETWEEN 0 AND 36),
        PRIMARY KEY (chain_id, address),
        UNIQUE (chain_id, symbol)
      ) STRICT;

      CREATE TABLE invoices (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        chain_id INTEGER NOT NULL REFERENCES chains (chain_id),
        token_address TEXT,
        token_symbol TEXT NOT NULL,
        token_decimals INTEGER NOT NULL,
        ${BASE_UNITS('amount')},
        ${BASE_UNITS('amount_received')},
        address TEXT NOT NULL UNIQUE,
        derivation_index INTEGER NOT NULL UNIQUE,
        payment_uri TEXT NOT NULL,
        order_id TEXT,
        metadata TEXT,
        status TEXT NOT NULL CHECK (status IN ('pending', 'detected', 'confirmed', 'settled', 'expired', 'invalid')),
        exception_status TEXT CHECK (exception_status IN ('underpaid', 'overpaid', 'paid_late')),
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        detected_at TEXT,
        confirmed_at TEXT,
        settled_at TEXT
      ) STRICT;
      CREATE INDEX invoices_status ON invoices (status, seq);
      CREATE INDEX invoices_chain ON invoices (chain_id, seq);
      CREATE INDEX invoices_order ON invoices (order_id);

      -- The outbox: every state change writes its event here in the same transaction.
      CREATE TABLE events (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        invoice_id TEXT REFERENCES invoices (id),
        type TEXT NOT NULL,
        sequence INTEGER NOT NULL,
        payload TEXT NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (invoice_id, sequence)
      ) STRICT;

      CREATE TABLE api_keys (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        prefix TEXT NOT NULL,
        hash TEXT NOT NULL UNIQUE,
        scopes TEXT NOT NULL,
        created_at TEXT NOT NULL,
        last_used_at TEXT,
        revoked_at TEXT
      ) STRICT;

      CREATE TABLE idempotency_keys (
        api_key_id TEXT NOT NULL REFERENCES api_keys (id),
        key TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        invoice_id TEXT NOT NULL REFERENCES invoices (id),
        created_at TEXT NOT NULL,
        PRIMARY KEY (api_key_id, key)
      ) STRICT;
    `);
  },
};
