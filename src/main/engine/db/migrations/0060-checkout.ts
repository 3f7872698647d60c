import type { Migration } from './index.ts';

/**
 * The hosted checkout page: where it sends the customer back to once the invoice is paid (the
 * shop's order page, http or https only, checked at creation). Numbered 60 so shop-currency
 * prices (50) can land before it.
 */
export const m0060Checkout: Migration = {
  version: 60,
  name: 'checkout',
  up(db) {
    db.exec(`ALTER TABLE invoices ADD COLUMN redirect_url TEXT`);
  },
};
