import type { Migration } from './index.ts';

/**
 * The customer display: one-time pairing links and the sessions of the screens that used them
 * (a tablet facing the customer). Only hashes of the tokens are kept. Which invoice the display
 * shows is the setting display_invoice.
 */
export const m0070CustomerDisplay: Migration = {
  version: 70,
  name: 'customer-display',
  up(db) {
    db.exec(`
      CREATE TABLE display_tokens (
        id TEXT PRIMARY KEY,
        token_hash TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('pairing', 'session')),
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        used_at TEXT
      ) STRICT;
    `);
  },
};
