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
  /** Payments still count (as paid_late) until this time. */
  monitorUntil: string;
  /** The chain's scanned block when the invoice was created (a recheck starts a little below). */
  creationBlock: number | null;
  /** Marked paid by the operator. */
  manual: boolean;
  /** Why the operator marked it invalid or paid. */
  statusReason: string | null;
  /** Where the checkout page sends the customer back to once paid. */
  redirectUrl: string | null;
  /** Created by a price in the shop's currency: that price, else null. */
  price: { amount: string; currency: string } | null;
  /** The rate the price was converted at, locked at creation. */
  rate: { value: string; source: string; at: string } | null;
  /** The feeds' raw answers behind the rate (JSON), for checking a conversion by hand. */
  rateFeeds: string | null;
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
  monitor_until: string | null;
  creation_block: number | null;
  manual: number;
  status_reason: string | null;
  redirect_url: string | null;
  price_amount: string | null;
  price_currency: string | null;
  rate_value: string | null;
  rate_source: string | null;
  rate_at: string | null;
  rate_feeds: string | null;
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
  redirectUrl: row.redirect_url ?? null,
  metadata: row.metadata === null ? null : (JSON.parse(row.metadata) as Record<string, unknown>),
  status: row.status,
  exceptionStatus: row.exception_status,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  detectedAt: row.detected_at,
  confirmedAt: row.confirmed_at,
  settledAt: row.settled_at,
  monitorUntil: row.monitor_until ?? row.expires_at,
  creationBlock: row.creation_block,
  manual: row.manual === 1,
  statusReason: row.status_reason,
  price:
    row.price_amount !== null && row.price_currency !== null ? { amount: row.price_amount, currency: row.price_currency } : null,
  rate:
    row.rate_value !== null && row.rate_source !== null && row.rate_at !== null
      ? { value: row.rate_value, source: row.rate_source, at: row.rate_at }
      : null,
  rateFeeds: row.rate_feeds,
});

export interface InvoiceStateUpdate {
  status: InvoiceStatus;
  exceptionStatus: ExceptionStatus | null;
  amountReceived: bigint;
  detectedAt: string | null;
  confirmedAt: string | null;
  manual?: boolean;
  statusReason?: string | null;
}

/** What the scanner watches: an address, its invoice and what it expects. */
export interface WatchedAddress {
  seq: number;
  address: string;
  invoiceId: string;
  tokenAddress: string | null;
}

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
                          created_at, expires_at, monitor_until, creation_block, redirect_url,
                          price_amount, price_currency, rate_value, rate_source, rate_at, rate_feeds)
    VALUES (@id, @chainId, @tokenAddress, @tokenSymbol, @tokenDecimals, @amount, '0', @address, @derivationIndex,
            @paymentUri, @orderId, @metadata, 'pending', NULL, @createdAt, @expiresAt, @monitorUntil, @creationBlock, @redirectUrl,
            @priceAmount, @priceCurrency, @rateValue, @rateSource, @rateAt, @rateFeeds)
    RETURNING *`);
  const updateState = db.prepare(`
    UPDATE invoices SET status = @status, exception_status = @exceptionStatus, amount_received = @amountReceived,
      detected_at = @detectedAt, confirmed_at = @confirmedAt, manual = @manual, status_reason = @statusReason
    WHERE id = @id`);
  // Pending, detected, and expired ones still inside their monitoring window.
  const WATCHED = `chain_id = ? AND (status IN ('pending', 'detected') OR (status = 'expired' AND monitor_until > ?))`;
  const watched = db.prepare<[number, string], { seq: number; address: string; id: string; token_address: string | null }>(
    `SELECT seq, address, id, token_address FROM invoices WHERE ${WATCHED}`,
  );
  const watchedSeqs = db.prepare<[number, string], number>(`SELECT seq FROM invoices WHERE ${WATCHED}`).pluck();
  const watchedCount = db.prepare<[number, string], number>(`SELECT count(*) FROM invoices WHERE ${WATCHED}`).pluck();
  const dueToExpire = db.prepare<[string], { id: string }>(
    "SELECT id FROM invoices WHERE status = 'pending' AND expires_at <= ?",
  );
  const byAddress = db.prepare<[number, string], InvoiceRow>(
    'SELECT * FROM invoices WHERE chain_id = ? AND address = ? COLLATE NOCASE',
  );
  const selectById = db.prepare<[string], InvoiceRow>('SELECT * FROM invoices WHERE id = ?');
  const settle = db.prepare("UPDATE invoices SET status = 'settled', settled_at = ? WHERE id = ? AND status = 'confirmed'");
  const unsettle = db.prepare("UPDATE invoices SET status = 'confirmed', settled_at = NULL WHERE id = ? AND status = 'settled'");
  // Whose funds the sweeper may move: paid and confirmed (paid late and marked paid are confirmed
  // too), or no longer watched with something received (an underpaid expired invoice after its
  // monitoring window, an invalid one).
  const sweepable = db.prepare<[number, string], InvoiceRow>(`
    SELECT * FROM invoices WHERE chain_id = ? AND (status = 'confirmed'
      OR ((status = 'invalid' OR (status = 'expired' AND monitor_until <= ?)) AND (amount_received <> '0'
        OR EXISTS (SELECT 1 FROM alerts a WHERE a.invoice_id = invoices.id
                   AND a.type IN ('wrong_token', 'payment_after_window', 'internal_transfer')))))`);

  return {
    insert(
      invoice: Omit<
        InvoiceRecord,
        | 'seq'
        | 'amountReceived'
        | 'status'
        | 'exceptionStatus'
        | 'detectedAt'
        | 'confirmedAt'
        | 'settledAt'
        | 'manual'
        | 'statusReason'
      >,
    ): InvoiceRecord {
      const { price, rate, ...rest } = invoice;
      const row = insert.get({
        ...rest,
        priceAmount: price?.amount ?? null,
        priceCurrency: price?.currency ?? null,
        rateValue: rate?.value ?? null,
        rateSource: rate?.source ?? null,
        rateAt: rate?.at ?? null,
        amount: invoice.amount.toString(),
        metadata: invoice.metadata === null ? null : JSON.stringify(invoice.metadata),
      }) as InvoiceRow;
      return toRecord(row);
    },
    get(id: string): InvoiceRecord | undefined {
      const row = selectById.get(id);
      return row && toRecord(row);
    },
    updateState(id: string, state: InvoiceStateUpdate): void {
      updateState.run({
        id,
        status: state.status,
        exceptionStatus: state.exceptionStatus,
        amountReceived: state.amountReceived.toString(),
        detectedAt: state.detectedAt,
        confirmedAt: state.confirmedAt,
        manual: state.manual ? 1 : 0,
        statusReason: state.statusReason ?? null,
      });
    },
    /** Sweeper: the sweep of its funds is final. Only a confirmed invoice settles; returns whether it did. */
    settle(id: string, at: string): boolean {
      return settle.run(at, id).changes > 0;
    },
    /** A reorg undid the sweep that settled it: confirmed again. Returns whether it was settled. */
    unsettle(id: string): boolean {
      return unsettle.run(id).changes > 0;
    },
    /** Invoices whose deposit addresses the sweeper looks at (see the statement for which). */
    sweepable(chainId: number, now: string): InvoiceRecord[] {
      return sweepable.all(chainId, now).map(toRecord);
    },
    watchedAddresses(chainId: number, now: string): WatchedAddress[] {
      return watched
        .all(chainId, now)
        .map((row) => ({ seq: row.seq, address: row.address, invoiceId: row.id, tokenAddress: row.token_address }));
    },
    /**
     * Just the `seq`s of the watched invoices (~3 ms for 10,000, against ~15 ms for the rows), so
     * a caller can keep the rows and re-read them only when the set changed: an invoice's seq, id,
     * address and token never change, and invoices are never deleted.
     */
    watchedSeqs(chainId: number, now: string): number[] {
      return watchedSeqs.all(chainId, now);
    },
    watchedCount(chainId: number, now: string): number {
      return watchedCount.get(chainId, now) ?? 0;
    },
    /** Any invoice by deposit address, watched or not (a payment after the window still belongs to it). */
    byAddress(chainId: number, address: string): InvoiceRecord | undefined {
      const row = byAddress.get(chainId, address);
      return row && toRecord(row);
    },
    dueToExpire(now: string): string[] {
      return dueToExpire.all(now).map((row) => row.id);
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
