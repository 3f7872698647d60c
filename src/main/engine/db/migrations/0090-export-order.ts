import type { Migration } from './index.ts';

/**
 * Indexes in the order the CSV exports list their rows, so SQLite walks them in order instead of
 * sorting the whole period in a temporary b-tree first (which held every row of a payments export
 * in memory before the first line went out). Payments are listed by block time, then id: the
 * index's implicit rowid (id) gives the second term. A sweep's deposits are listed by derivation
 * index; address and token follow, as in the primary key, so deposits of one address keep the
 * order the sort gave them.
 */
export const m0090ExportOrder: Migration = {
  version: 90,
  name: 'export-order',
  up(db) {
    db.exec(`
      CREATE INDEX payments_time ON payments (block_time);
      CREATE INDEX sweep_items_order ON sweep_items (sweep_id, derivation_index, address, token);
    `);
  },
};
