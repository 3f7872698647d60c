import type { Migration } from './index.ts';

const BASE_UNITS = (column: string) => `${column} TEXT NOT NULL CHECK (${column} <> '' AND ${column} NOT GLOB '*[^0-9]*')`;
const BASE_UNITS_NULL = (column: string) =>
  `${column} TEXT CHECK (${column} IS NULL OR (${column} <> '' AND ${column} NOT GLOB '*[^0-9]*'))`;

/**
 * The sweeper: what waits on deposit addresses, the sweeps that move it to the treasury, every
 * transaction they sign (each signed version stored before it is broadcast), the nonces of the
 * accounts that sign, EIP-7702 authorizations (signed once, kept), the sweeper contract per chain
 * and treasury, and the per-chain settings. Tokens are a lower-case contract address or 'native'.
 */
export const m0040Sweeper: Migration = {
  version: 40,
  name: 'sweeper',
  up(db) {
    db.exec(`
      -- m/44'/60'/1'/0/0: pays all sweep gas. Known without the vault, for the fund QR code.
      ALTER TABLE wallet ADD COLUMN gas_address TEXT;
      -- The sweeper asks which expired or invalid invoices have funds an alert told of.
      CREATE INDEX alerts_invoice ON alerts (invoice_id) WHERE invoice_id IS NOT NULL;

      CREATE TABLE sweep_settings (
        chain_id INTEGER PRIMARY KEY REFERENCES chains (chain_id) ON DELETE CASCADE,
        strategy TEXT NOT NULL CHECK (strategy IN ('auto', 'eip7702', 'topup')),
        max_fee_share_bps INTEGER NOT NULL CHECK (max_fee_share_bps BETWEEN 0 AND 10000),
        max_age_seconds INTEGER NOT NULL CHECK (max_age_seconds >= 0),
        batch_size INTEGER NOT NULL CHECK (batch_size BETWEEN 1 AND 100),
        paused INTEGER NOT NULL CHECK (paused IN (0, 1)),
        -- JSON object: token ('native' or lower-case address) -> minimum in base units.
        min_amounts TEXT NOT NULL,
        stuck_after_seconds INTEGER,
        fee_ceiling REAL NOT NULL CHECK (fee_ceiling >= 1),
        updated_at TEXT NOT NULL
      ) STRICT;

      -- What Till found out about a chain (not assumed): EIP-7702 support, an OP-stack L1 fee oracle.
      CREATE TABLE chain_capabilities (
        chain_id INTEGER PRIMARY KEY REFERENCES chains (chain_id) ON DELETE CASCADE,
        eip7702 INTEGER CHECK (eip7702 IN (0, 1)),
        l1_fee_oracle INTEGER CHECK (l1_fee_oracle IN (0, 1)),
        multicall3 INTEGER CHECK (multicall3 IN (0, 1)),
        checked_at TEXT NOT NULL
      ) STRICT;

      -- The next nonce of every account that signs for Till on a chain (the gas account, deposits).
      -- Assigned here, never from memory; raised to the chain's count when the chain is ahead.
      CREATE TABLE signer_nonces (
        chain_id INTEGER NOT NULL,
        address TEXT NOT NULL,
        next_nonce INTEGER NOT NULL CHECK (next_nonce >= 0),
        updated_at TEXT NOT NULL,
        PRIMARY KEY (chain_id, address)
      ) STRICT;

      -- One sweeper delegate per chain and treasury (its treasury is immutable in its code).
      CREATE TABLE sweeper_contracts (
        chain_id INTEGER NOT NULL,
        treasury TEXT NOT NULL,
        address TEXT NOT NULL,
        sweep_id TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('deploying', 'ready', 'failed')),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (chain_id, treasury)
      ) STRICT;

      -- EIP-7702 authorizations, signed once per deposit, delegate and nonce; a fee bump reuses them.
      CREATE TABLE sweep_authorizations (
        chain_id INTEGER NOT NULL,
        authority TEXT NOT NULL,
        contract TEXT NOT NULL,
        nonce INTEGER NOT NULL,
        y_parity INTEGER NOT NULL CHECK (y_parity IN (0, 1)),
        r TEXT NOT NULL,
        s TEXT NOT NULL,
        signed_at TEXT NOT NULL,
        PRIMARY KEY (chain_id, authority, contract, nonce)
      ) STRICT;

      -- What waits on a deposit address, as last read from the chain. 'held': found by a recovery
      -- scan, not swept until the merchant confirms.
      CREATE TABLE sweep_deposits (
        chain_id INTEGER NOT NULL,
        address TEXT NOT NULL,
        token TEXT NOT NULL,
        derivation_index INTEGER NOT NULL,
        invoice_id TEXT REFERENCES invoices (id),
        reason TEXT NOT NULL,
        ${BASE_UNITS('balance')},
        balance_block INTEGER NOT NULL,
        -- Since when something has waited here (the age rule).
        since TEXT NOT NULL,
        held INTEGER NOT NULL DEFAULT 0 CHECK (held IN (0, 1)),
        updated_at TEXT NOT NULL,
        PRIMARY KEY (chain_id, address, token)
      ) STRICT;
      CREATE INDEX sweep_deposits_waiting ON sweep_deposits (chain_id, since) WHERE balance <> '0';

      CREATE TABLE sweeps (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        chain_id INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('native', 'eip7702', 'topup', 'deploy')),
        token TEXT,
        status TEXT NOT NULL CHECK (status IN ('pending', 'mined', 'final', 'failed', 'dropped')),
        trigger TEXT NOT NULL,
        ${BASE_UNITS('value')},
        estimated_gas INTEGER NOT NULL,
        ${BASE_UNITS('estimated_fee')},
        -- From the receipts: what the sweep's transactions cost, and the one that moved the funds.
        gas_used INTEGER,
        ${BASE_UNITS_NULL('fee')},
        tx_hash TEXT,
        block_number INTEGER,
        block_hash TEXT,
        error TEXT,
        created_at TEXT NOT NULL,
        mined_at TEXT,
        final_at TEXT,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX sweeps_open ON sweeps (chain_id, seq) WHERE status IN ('pending', 'mined');
      CREATE INDEX sweeps_chain ON sweeps (chain_id, seq);

      CREATE TABLE sweep_items (
        sweep_id TEXT NOT NULL REFERENCES sweeps (id),
        chain_id INTEGER NOT NULL,
        address TEXT NOT NULL,
        token TEXT NOT NULL,
        derivation_index INTEGER NOT NULL,
        invoice_id TEXT REFERENCES invoices (id),
        reason TEXT NOT NULL,
        -- Planned from the balance read before signing; swept from the receipt.
        ${BASE_UNITS('amount')},
        ${BASE_UNITS_NULL('swept')},
        ${BASE_UNITS_NULL('fee_share')},
        -- 1 while the sweep is pending or mined: a deposit address is in one open sweep at most.
        open INTEGER NOT NULL CHECK (open IN (0, 1)),
        PRIMARY KEY (sweep_id, address, token)
      ) STRICT;
      CREATE UNIQUE INDEX sweep_items_open ON sweep_items (chain_id, address) WHERE open = 1;
      CREATE INDEX sweep_items_invoice ON sweep_items (invoice_id);

      -- One row per (account, nonce) a sweep uses. Its signed versions are the attempts.
      CREATE TABLE sweep_txs (
        id TEXT PRIMARY KEY,
        sweep_id TEXT NOT NULL REFERENCES sweeps (id),
        chain_id INTEGER NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('deploy', 'batch', 'native', 'topup', 'transfer')),
        from_address TEXT NOT NULL,
        nonce INTEGER NOT NULL,
        gas_limit INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'mined', 'final', 'dropped')),
        -- The max fee per gas of the first attempt: the fee ceiling is a multiple of it.
        ${BASE_UNITS('first_max_fee')},
        ceiling_alerted INTEGER NOT NULL DEFAULT 0 CHECK (ceiling_alerted IN (0, 1)),
        mined_hash TEXT,
        block_number INTEGER,
        block_hash TEXT,
        gas_used INTEGER,
        ${BASE_UNITS_NULL('effective_gas_price')},
        ${BASE_UNITS_NULL('l1_fee')},
        ${BASE_UNITS_NULL('fee')},
        receipt_status TEXT CHECK (receipt_status IN ('success', 'reverted')),
        created_at TEXT NOT NULL,
        mined_at TEXT,
        updated_at TEXT NOT NULL,
        UNIQUE (chain_id, from_address, nonce)
      ) STRICT;
      CREATE INDEX sweep_txs_sweep ON sweep_txs (sweep_id);
      CREATE INDEX sweep_txs_open ON sweep_txs (chain_id, status) WHERE status IN ('pending', 'mined');

      -- Every signed version of a transaction, written before it is first broadcast; a restart
      -- sends the same bytes again (same hash), never a re-signed one with a new nonce.
      CREATE TABLE sweep_tx_attempts (
        tx_id TEXT NOT NULL REFERENCES sweep_txs (id),
        attempt INTEGER NOT NULL,
        hash TEXT NOT NULL UNIQUE,
        raw TEXT NOT NULL,
        ${BASE_UNITS('max_fee_per_gas')},
        ${BASE_UNITS('max_priority_fee_per_gas')},
        ${BASE_UNITS('value')},
        signed_at TEXT NOT NULL,
        first_sent_at TEXT,
        last_sent_at TEXT,
        sends INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        PRIMARY KEY (tx_id, attempt)
      ) STRICT;

      -- "Sweep now", "bump" and "retry" from a process that does not run the sweeper (the CLI while
      -- till serve runs), for the one that does.
      CREATE TABLE sweep_requests (
        id TEXT PRIMARY KEY,
        action TEXT NOT NULL CHECK (action IN ('sweep', 'bump', 'retry')),
        sweep_id TEXT,
        chain_id INTEGER,
        requested_by TEXT NOT NULL,
        requested_at TEXT NOT NULL,
        handled_at TEXT,
        result TEXT
      ) STRICT;

      -- Which process runs the sweeper on this data folder: one at a time signs and broadcasts.
      CREATE TABLE sweeper_lease (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        holder TEXT NOT NULL,
        pid INTEGER NOT NULL,
        host TEXT NOT NULL,
        until TEXT NOT NULL
      ) STRICT;
    `);
  },
};
