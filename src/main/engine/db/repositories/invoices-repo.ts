import type { Database } from 'better-sqlite3';
import type { ExceptionStatus, InvoiceStatus } from '../../../../shared/domain.ts';

/** An invoice as stored: amounts in base units (bigint), metadata as parsed JSON. */
export interface InvoiceRecord {
  seq: number;
  id: string;
  chainId: number;
  tokenAddress: string | null;
  tokenSymbol: string;
  tokenDecimals: number;
  amount: bigint;
  amountReceived: bigint;
  address: string;
  derivationIndex: number;
  paymentUri: string;
  orderId: string | null;
  metadata: Record<string, unknown> | null;
  status: InvoiceStatus;
  exceptionStatus: ExceptionStatus | null;
  createdAt: string;
  expiresAt: string;
  detectedAt: string | null;
  confirmedAt: string | null;
  settledAt: string | null;
}

interface InvoiceRow {
  seq: number;
  id: string;
  chain_id: number;
  token_address: string | null;
  token_symbol: string;
  token_decimals: number;
  amount: string;
  amount_received: string;
  address: string;
  derivation_index: number;
  payment_uri: string;
  order_id: string | null;
  metadata: string | null;
  status: InvoiceStatus;
  exception_status: ExceptionStatus | null;
  created_at: string;
  expires_at: string;
  detected_at: string | null;
  confirmed_at: string | null;
  settled_at: string | null;
}

const toRecord = (row: InvoiceRow): InvoiceRecord => ({
  seq: row.seq,
  id: row.id,
  chainId: row.chain_id,
  tokenAddress: row.token_address,
  tokenSymbol: row.token_symbol,
  tokenDecimals: row.token_decimals,
  amount: BigInt(row.amount),
  amountReceived: BigInt(row.amount_received),
  address: row.address,
  derivationIndex: row.derivation_index,
  paymentUri: row.payment_uri,
  orderId: row.order_id,
  metadata: row.metadata === null ? null : (JSON.parse(row.metadata) as Record<string, unknown>),
  status: row.status,
  exceptionStatus: row.exception_status,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  detectedAt: row.detected_at,
  confirmedAt: row.confirmed_at,
  settledAt: row.settled_at,
});

export interface InvoiceQuery {
  status?: InvoiceStatus;
  chainId?: number;
  orderId?: string;
  /** Exact invoice id, or a prefix of an orderId. */
  search?: string;
  /** Only rows with seq below this (cursor pagination, newest first). */
  beforeSeq?: number;
  limit: number;
}

export function createInvoicesRepo(db: Database) {
  const insert = db.prepare(`
    INSERT INTO invoices (id, chain_id, token_address, token_symbol, token_decimals, amount, amount_received,
                          address, derivation_index, payment_uri, order_id, metadata, status, exception_status,
                          created_at, expires_at)
    VALUES (@id, @chainId, @tokenAddress, @tokenSymbol, @tokenDecimals, @amount, '0', @address, @derivationIndex,
            @paymentUri, @orderId, @metadata, 'pending', NULL, @createdAt, @expiresAt)
    RETURNING *`);
  const selectById = db.prepare<[string], InvoiceRow>('SELECT * FROM invoices WHERE id = ?');

  return {
    insert(
      invoice: Omit<
        InvoiceRecord,
        'seq' | 'amountReceived' | 'status' | 'exceptionStatus' | 'detectedAt' | 'confirmedAt' | 'settledAt'
      >,
    ): InvoiceRecord {
      const row = insert.get({
        ...invoice,
        amount: invoice.amount.toString(),
        metadata: invoice.metadata === null ? null : JSON.stringify(invoice.metadata),
      }) as InvoiceRow;
      return toRecord(row);
    },
    get(id: string): InvoiceRecord | undefined {
      const row = selectById.get(id);
      return row && toRecord(row);
    },
    list(query: InvoiceQuery): InvoiceRecord[] {
      const where: string[] = [];
      const params: Record<string, unknown> = { limit: query.limit };
      const add = (clause: string, values: Record<string, unknown>) => {
        where.push(clause);
        Object.assign(params, values);
      };
      if (query.status) add('status = @status', { status: query.status });
      if (query.chainId !== undefined) add('chain_id = @chainId', { chainId: query.chainId });
      if (query.orderId !== undefined) add('order_id = @orderId', { orderId: query.orderId });
      // An exact id, or an orderId prefix: a range on the orderId index, free of LIKE's % and _ surprises.
      if (query.search)
        add('(id = @search OR (order_id >= @search AND order_id < @searchEnd))', {
          search: query.search,
          searchEnd: query.search + '\uffff',
        });
      if (query.beforeSeq !== undefined) add('seq < @beforeSeq', { beforeSeq: query.beforeSeq });
      const sql = `SELECT * FROM invoices ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT @limit`;
      return (db.prepare(sql).all(params) as InvoiceRow[]).map(toRecord);
    },
    count(): number {
      return (db.prepare('SELECT COUNT(*) AS n FROM invoices').get() as { n: number }).n;
    },
  };
}
export type InvoicesRepo = ReturnType<typeof createInvoicesRepo>;
