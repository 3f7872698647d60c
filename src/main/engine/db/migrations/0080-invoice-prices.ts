import type { Migration } from './index.ts';

/**
 * Prices in the shop's currency. An invoice created by price keeps the price and the rate it was
 * converted at (locked for its lifetime; the token amount stays the contract). `rate_feeds` holds
 * the feeds' raw answers as JSON, so the conversion can be re-done by hand. The merchant's own
 * Chainlink feeds per chain (presets live in code) go to price_feeds.
 */
export const m0080InvoicePrices: Migration = {
  version: 80,
  name: 'invoice-prices',
  up(db) {
    db.exec(`
      ALTER TABLE invoices ADD COLUMN price_amount TEXT;
      ALTER TABLE invoices ADD COLUMN price_currency TEXT;
      ALTER TABLE invoices ADD COLUMN rate_value TEXT;
      ALTER TABLE invoices ADD COLUMN rate_source TEXT;
      ALTER TABLE invoices ADD COLUMN rate_at TEXT;
      ALTER TABLE invoices ADD COLUMN rate_feeds TEXT;
      CREATE TABLE price_feeds (
        chain_id INTEGER NOT NULL REFERENCES chains (chain_id) ON DELETE CASCADE,
        pair TEXT NOT NULL,
        address TEXT NOT NULL,
        heartbeat_seconds INTEGER NOT NULL CHECK (heartbeat_seconds > 0),
        PRIMARY KEY (chain_id, pair)
      ) STRICT;
    `);
  },
};
