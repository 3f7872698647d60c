/**
 * What counts, once, for everything that keeps the books: the CSV exports and the Reports
 * summary read the same rows through these definitions, so a report's total is the sum of the
 * export's rows for the same period, by construction rather than by care.
 */
import type { z } from 'zod';
import type { InvoiceStatus, PaymentStatusSchema } from '../../../shared/domain.ts';

type PaymentStatus = z.infer<typeof PaymentStatusSchema>;

/** Rows within a period: `@from` inclusive, `@to` exclusive, NULL for an open end (ISO-8601 UTC text compares in time order). */
export const inRange = (column: string): string => `(@from IS NULL OR ${column} >= @from) AND (@to IS NULL OR ${column} < @to)`;

/** When each row happened, for periods: an invoice when created, a payment by its block, a sweep when it ended. */
export const INVOICE_TIME = 'i.created_at';
export const PAYMENT_TIME = 'p.block_time';
export const SWEEP_TIME = 'coalesce(s.final_at, s.mined_at, s.created_at)';

/**
 * Payments (`p`) with their invoice (`i`), chain (`c`) and the payment's own token (`t`): a
 * payment is listed in what it really was, whatever the invoice asked for.
 */
export const PAYMENTS_FROM = `payments p JOIN invoices i ON i.id = p.invoice_id
  LEFT JOIN chains c ON c.chain_id = p.chain_id
  LEFT JOIN tokens t ON t.chain_id = p.chain_id AND lower(t.address) = lower(p.token_address)`;
export const PAYMENT_TOKEN_COLUMNS = `CASE WHEN p.token_address IS NULL THEN c.native_symbol ELSE t.symbol END AS token_symbol,
  CASE WHEN p.token_address IS NULL THEN c.native_decimals ELSE t.decimals END AS token_decimals`;

/** A token Till no longer knows: its symbol and decimals are unknown, so its amounts stay in base units. */
export const UNKNOWN_TOKEN = 'unknown token (base units)';

/**
 * Received: a payment in a canonical block, pending depth or confirmed, counted towards its
 * invoice or not (one after the monitoring window is in the wallet all the same). An orphaned
 * payment's block left the chain, so that money never arrived.
 */
export const RECEIVED_PAYMENT_STATUSES: readonly PaymentStatus[] = ['pending', 'confirmed'];
export const isReceived = (status: string): boolean => (RECEIVED_PAYMENT_STATUSES as readonly string[]).includes(status);
export const RECEIVED_PAYMENT = `p.status IN (${RECEIVED_PAYMENT_STATUSES.map((status) => `'${status}'`).join(', ')})`;

/**
 * A sweep's fee is its own `fee`: gas used × effective gas price summed over its transactions'
 * receipts, NULL until one is mined. Counted once per sweep, failed ones too (a revert costs gas);
 * the per-deposit shares are a split of it, and a failed sweep has no shares, so never sum those.
 */
export const SWEEP_FEE = 's.fee';

/** Invoice statuses as the books group them. */
export const PAID_INVOICE_STATUSES: readonly InvoiceStatus[] = ['confirmed', 'settled'];
export const OPEN_INVOICE_STATUSES: readonly InvoiceStatus[] = ['pending', 'detected'];
