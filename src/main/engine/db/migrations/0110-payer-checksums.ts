import { checksumAddress } from '../../lib/checksum-address.ts';
import type { Migration } from './index.ts';

/**
 * Payers are stored EIP-55 checksummed from now on (the scanner used to store them lower case),
 * so a CSV export of 200,000 payments does not hash each one again; existing rows are converted
 * here. Everything that reads the payer either checksums it again (the invoice view) or compares
 * it case-insensitively, so nothing else changes.
 */
export const m0110PayerChecksums: Migration = {
  version: 110,
  name: 'payer-checksums',
  up(db) {
    const rows = db.prepare<[], { id: number; from_address: string }>('SELECT id, from_address FROM payments').all();
    const update = db.prepare('UPDATE payments SET from_address = ? WHERE id = ?');
    for (const row of rows) {
      const checksummed = checksumAddress(row.from_address);
      if (checksummed !== row.from_address) update.run(checksummed, row.id);
    }
  },
};
