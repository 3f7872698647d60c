import type { Database } from 'better-sqlite3';
import type { SweepToken } from './sweep-deposits-repo.ts';

export interface SweepItemRecord {
  sweepId: string;
  chainId: number;
  address: string;
  token: SweepToken;
  derivationIndex: number;
  invoiceId: string | null;
  reason: string;
  amount: bigint;
  swept: bigint | null;
  feeShare: bigint | null;
  open: boolean;
}

interface ItemRow {
  sweep_id: string;
  chain_id: number;
  address: string;
  token: string;
  derivation_index: number;
  invoice_id: string | null;
  reason: string;
  amount: string;
  swept: string | null;
  fee_share: string | null;
  open: number;
}

const toRecord = (row: ItemRow): SweepItemRecord => ({
  sweepId: row.sweep_id,
  chainId: row.chain_id,
  address: row.address,
  token: row.token,
  derivationIndex: row.derivation_index,
  invoiceId: row.invoice_id,
  reason: row.reason,
  amount: BigInt(row.amount),
  swept: row.swept === null ? null : BigInt(row.swept),
  feeShare: row.fee_share === null ? null : BigInt(row.fee_share),
  open: row.open === 1,
});

/**
 * The deposits a sweep moves. The partial unique index on open items is what makes "a deposit is
 * never swept twice at once" a property of the database, not of the code that plans.
 */
export function createSweepItemsRepo(db: Database) {
  const insert = db.prepare(`
    INSERT INTO sweep_items (sweep_id, chain_id, address, token, derivation_index, invoice_id, reason, amount, open)
    VALUES (@sweepId, @chainId, @address, @token, @derivationIndex, @invoiceId, @reason, @amount, 1)`);
  const forSweep = db.prepare<[string], ItemRow>('SELECT * FROM sweep_items WHERE sweep_id = ? ORDER BY derivation_index');
  const openAddresses = db.prepare<[number], string>('SELECT address FROM sweep_items WHERE chain_id = ? AND open = 1').pluck();
  const close = db.prepare('UPDATE sweep_items SET open = 0 WHERE sweep_id = ?');
  const reopen = db.prepare('UPDATE sweep_items SET open = 1 WHERE sweep_id = ?');
  const setResult = db.prepare(
    'UPDATE sweep_items SET swept = @swept, fee_share = @feeShare WHERE sweep_id = @sweepId AND address = @address AND token = @token',
  );
  // The newest final sweep that moved something of the invoice's own token off its address.
  const settledBy = db.prepare<[string, string], ItemRow & { tx_hash: string; final_at: string }>(`
    SELECT i.*, s.tx_hash, s.final_at FROM sweep_items i JOIN sweeps s ON s.id = i.sweep_id
    WHERE i.invoice_id = ? AND i.token = ? AND s.status = 'final' AND i.swept IS NOT NULL AND i.swept <> '0'
    ORDER BY s.seq DESC LIMIT 1`);
  const forInvoice = db.prepare<[string], ItemRow>(
    'SELECT i.* FROM sweep_items i JOIN sweeps s ON s.id = i.sweep_id WHERE i.invoice_id = ? ORDER BY s.seq',
  );
  return {
    insert(item: Omit<SweepItemRecord, 'swept' | 'feeShare' | 'open'>): void {
      insert.run({ ...item, address: item.address.toLowerCase(), amount: item.amount.toString() });
    },
    forSweep(sweepId: string): SweepItemRecord[] {
      return forSweep.all(sweepId).map(toRecord);
    },
    forInvoice(invoiceId: string): SweepItemRecord[] {
      return forInvoice.all(invoiceId).map(toRecord);
    },
    /** Lower-case addresses in a sweep that is still open: the planner leaves them alone. */
    openAddresses(chainId: number): Set<string> {
      return new Set(openAddresses.all(chainId));
    },
    close(sweepId: string): void {
      close.run(sweepId);
    },
    reopen(sweepId: string): void {
      reopen.run(sweepId);
    },
    setResult(sweepId: string, address: string, token: SweepToken, swept: bigint | null, feeShare: bigint | null): void {
      setResult.run({
        sweepId,
        address: address.toLowerCase(),
        token,
        swept: swept === null ? null : swept.toString(),
        feeShare: feeShare === null ? null : feeShare.toString(),
      });
    },
    /** What the invoice object shows as `sweep`. */
    settlementOf(invoiceId: string, token: SweepToken): { txHash: string; feeShare: bigint; sweptAt: string } | undefined {
      const row = settledBy.get(invoiceId, token);
      return row && { txHash: row.tx_hash, feeShare: BigInt(row.fee_share ?? '0'), sweptAt: row.final_at };
    },
  };
}
export type SweepItemsRepo = ReturnType<typeof createSweepItemsRepo>;
