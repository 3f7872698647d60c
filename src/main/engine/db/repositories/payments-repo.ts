import type { Database } from 'better-sqlite3';
import { checksumAddress } from '../../lib/checksum-address.ts';

export interface PaymentRecord {
  id: number;
  chainId: number;
  txHash: string;
  /** -1 for a native coin transfer (shown as null). */
  logIndex: number;
  invoiceId: string;
  tokenAddress: string | null;
  /** EIP-55 checksummed (as written since migration 0110), so exports need not hash it again. */
  from: string;
  /** Lower case, as the scanner matches it. */
  to: string;
  amount: bigint;
  blockNumber: number;
  blockHash: string;
  blockTime: string;
  status: 'pending' | 'confirmed' | 'orphaned';
  counted: boolean;
  detectedAt: string;
  updatedAt: string;
}

interface PaymentRow {
  id: number;
  chain_id: number;
  tx_hash: string;
  log_index: number;
  invoice_id: string;
  token_address: string | null;
  from_address: string;
  to_address: string;
  amount: string;
  block_number: number;
  block_hash: string;
  block_time: string;
  status: PaymentRecord['status'];
  counted: number;
  detected_at: string;
  updated_at: string;
}

const toRecord = (row: PaymentRow): PaymentRecord => ({
  id: row.id,
  chainId: row.chain_id,
  txHash: row.tx_hash,
  logIndex: row.log_index,
  invoiceId: row.invoice_id,
  tokenAddress: row.token_address,
  from: row.from_address,
  to: row.to_address,
  amount: BigInt(row.amount),
  blockNumber: row.block_number,
  blockHash: row.block_hash,
  blockTime: row.block_time,
  status: row.status,
  counted: row.counted === 1,
  detectedAt: row.detected_at,
  updatedAt: row.updated_at,
});

export type NewPayment = Omit<PaymentRecord, 'id' | 'status' | 'updatedAt'>;

export function createPaymentsRepo(db: Database) {
  const byKey = db.prepare<[number, string, number], PaymentRow>(
    'SELECT * FROM payments WHERE chain_id = ? AND tx_hash = ? AND log_index = ?',
  );
  const insert = db.prepare(`
    INSERT INTO payments (chain_id, tx_hash, log_index, invoice_id, token_address, from_address, to_address, amount,
                          block_number, block_hash, block_time, status, counted, detected_at, updated_at)
    VALUES (@chainId, @txHash, @logIndex, @invoiceId, @tokenAddress, @from, @to, @amount, @blockNumber, @blockHash,
            @blockTime, 'pending', @counted, @detectedAt, @detectedAt)`);
  const reinclude = db.prepare(
    "UPDATE payments SET block_number = ?, block_hash = ?, block_time = ?, status = 'pending', updated_at = ? WHERE id = ?",
  );
  const byInvoice = db.prepare<[string], PaymentRow>(
    'SELECT * FROM payments WHERE invoice_id = ? ORDER BY block_number, log_index, id',
  );
  const setStatus = db.prepare('UPDATE payments SET status = ?, updated_at = ? WHERE id = ? AND status <> ?');
  const orphanAbove = db.prepare<[string, number, number], { invoice_id: string }>(
    "UPDATE payments SET status = 'orphaned', updated_at = ? WHERE chain_id = ? AND block_number > ? AND status <> 'orphaned' RETURNING invoice_id",
  );
  const openOnChain = db.prepare<[number], { invoice_id: string }>(
    "SELECT DISTINCT invoice_id FROM payments WHERE chain_id = ? AND status = 'pending'",
  );

  return {
    /**
     * Records a transfer once. Seen again in the same block: nothing changes. Seen again in
     * another block (re-included after a reorg): the row moves there and counts again.
     * Returns whether the payment is new to the invoice (for invoice.payment_received).
     */
    upsert(payment: NewPayment, now: string): { record: PaymentRecord; isNew: boolean } {
      const existing = byKey.get(payment.chainId, payment.txHash, payment.logIndex);
      if (!existing) {
        insert.run({
          ...payment,
          from: checksumAddress(payment.from),
          amount: payment.amount.toString(),
          counted: payment.counted ? 1 : 0,
        });
        return { record: toRecord(byKey.get(payment.chainId, payment.txHash, payment.logIndex)!), isNew: true };
      }
      if (existing.block_hash !== payment.blockHash || existing.status === 'orphaned') {
        reinclude.run(payment.blockNumber, payment.blockHash, payment.blockTime, now, existing.id);
        return {
          record: toRecord(byKey.get(payment.chainId, payment.txHash, payment.logIndex)!),
          isNew: existing.status === 'orphaned',
        };
      }
      return { record: toRecord(existing), isNew: false };
    },
    listForInvoice(invoiceId: string): PaymentRecord[] {
      return byInvoice.all(invoiceId).map(toRecord);
    },
    setStatus(id: number, status: PaymentRecord['status'], now: string): void {
      setStatus.run(status, now, id, status);
    },
    /** Orphans every payment above `blockNumber` on the chain; returns the invoices touched. */
    orphanAbove(chainId: number, blockNumber: number, now: string): string[] {
      return [...new Set(orphanAbove.all(now, chainId, blockNumber).map((row) => row.invoice_id))];
    },
    /** Invoices with payments not yet deep enough: their confirmations move with every new block. */
    invoicesAwaitingDepth(chainId: number): string[] {
      return openOnChain.all(chainId).map((row) => row.invoice_id);
    },
  };
}
export type PaymentsRepo = ReturnType<typeof createPaymentsRepo>;
