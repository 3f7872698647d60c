import type { Migration } from './index.ts';

/**
 * Webhooks: endpoints, their signing secrets (encrypted; the key is in the vault), deliveries
 * (one per event and endpoint, plus redeliveries) and every attempt of each delivery.
 */
export const m0030Webhooks: Migration = {
  version: 30,
  name: 'webhooks',
  up(db) {
    db.exec(`
      CREATE TABLE webhook_endpoints (
        id TEXT PRIMARY KEY,
        url TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        -- JSON array of event types, or ["*"].
        events TEXT NOT NULL,
        enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
        -- Why Till disabled it (a 410 Gone), for the UI; NULL when the operator did, or when enabled.
        disabled_reason TEXT,
        max_concurrency INTEGER NOT NULL DEFAULT 4 CHECK (max_concurrency BETWEEN 1 AND 64),
        -- Managed by the config file (matched by URL on every till serve --config) or in the app.
        source TEXT NOT NULL CHECK (source IN ('app', 'config')),
        -- Only events written after the endpoint existed are delivered to it (events.seq).
        after_event_seq INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

      -- During a rotation an endpoint has two secrets: the new one and the old one until expires_at.
      CREATE TABLE webhook_secrets (
        id TEXT PRIMARY KEY,
        endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
        -- AES-256-GCM under the webhook key held in the vault: never plaintext in the database.
        ciphertext TEXT NOT NULL,
        -- The last characters, to tell secrets apart on screen.
        hint TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT
      ) STRICT;
      CREATE INDEX webhook_secrets_endpoint ON webhook_secrets (endpoint_id);

      CREATE TABLE webhook_deliveries (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        event_id TEXT NOT NULL REFERENCES events (id),
        endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
        -- Copied from the event: the per-invoice order deliveries keep (NULL for ping).
        invoice_id TEXT,
        sequence INTEGER NOT NULL,
        event_type TEXT NOT NULL,
        redelivery INTEGER NOT NULL DEFAULT 0 CHECK (redelivery IN (0, 1)),
        -- pending: not tried yet · sending: an attempt is out (leased) · failed: the last attempt
        -- failed, another is scheduled · succeeded · dead: retried for the whole window ·
        -- superseded: a redelivery of the same event took over its retries.
        status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'failed', 'succeeded', 'dead', 'superseded')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT,
        lease_until TEXT,
        last_http_status INTEGER,
        last_error TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        completed_at TEXT
      ) STRICT;
      -- An event goes to an endpoint once; redeliveries are new rows beside it.
      CREATE UNIQUE INDEX webhook_deliveries_original ON webhook_deliveries (event_id, endpoint_id) WHERE redelivery = 0;
      -- The dispatcher's question, asked on every wake-up: what is waiting on this endpoint, soonest
      -- first. Partial, so it holds only open rows and needs no sort however long the log grows.
      CREATE INDEX webhook_deliveries_due ON webhook_deliveries (endpoint_id, next_attempt_at)
        WHERE status IN ('pending', 'failed');
      -- The per-invoice order check of the due query (endpoint and invoice, earlier sequences), and
      -- an invoice's deliveries for its detail screen.
      CREATE INDEX webhook_deliveries_order ON webhook_deliveries (invoice_id, endpoint_id, sequence);
      CREATE INDEX webhook_deliveries_event ON webhook_deliveries (event_id);
      -- Deliveries by status, for all but the two that nearly every delivery passes through on its
      -- way (pending, then succeeded): attempts out (the lease recovery's question on every look),
      -- failed, dead and superseded ones (the log's filters, resend failed since…). Leaving those
      -- two out spares every delivery an index entry written at fan-out and rewritten at its
      -- success — pages written to the WAL on every commit. Queries name this WHERE to use it.
      CREATE INDEX webhook_deliveries_unsettled ON webhook_deliveries (status, seq)
        WHERE status IN ('sending', 'failed', 'dead', 'superseded');

      CREATE TABLE webhook_attempts (
        delivery_id TEXT NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
        attempt INTEGER NOT NULL,
        started_at TEXT NOT NULL,
        -- NULL while the attempt is out; an attempt a crash interrupted is closed at recovery.
        finished_at TEXT,
        duration_ms INTEGER,
        http_status INTEGER,
        -- The first 4 KiB of the response body.
        response_body TEXT,
        error TEXT,
        PRIMARY KEY (delivery_id, attempt)
      ) STRICT;
      CREATE INDEX webhook_attempts_started ON webhook_attempts (started_at);

      -- Position of the webhook fan-out in the outbox (events.seq): deliveries exist for every
      -- event up to here. Starts at the newest event: nothing before webhooks existed is sent.
      CREATE TABLE webhook_fanout (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        event_seq INTEGER NOT NULL
      ) STRICT;
      INSERT INTO webhook_fanout (id, event_seq) VALUES (1, (SELECT COALESCE(MAX(seq), 0) FROM events));
    `);
  },
};
