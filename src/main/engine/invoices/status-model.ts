import type { ExceptionStatus, InvoiceStatus } from '../../../shared/domain.ts';

/**
 * The invoice status model as one pure function, so every transition rule is tested without a
 * chain. The scanner, the expiry loop and the operator actions all end here.
 *
 * - detected: the counted payments in canonical blocks add up to the amount, not all deep enough;
 * - confirmed: the payments at least `confirmations` deep add up to the amount (the including
 *   block counts as 1);
 * - expired: not fully paid by expiresAt; payments keep counting until monitorUntil, and a full
 *   payment in that window makes the invoice paid_late;
 * - payments after monitorUntil are recorded but never counted (the caller raises an alert);
 * - orphaned payments (their block left the canonical chain) never count.
 */
export type InvoiceEventType =
  | 'invoice.created'
  | 'invoice.payment_received'
  | 'invoice.detected'
  | 'invoice.confirmed'
  | 'invoice.settled'
  | 'invoice.expired'
  | 'invoice.paid_late'
  | 'invoice.reverted'
  | 'invoice.invalid'
  | 'invoice.marked_paid';

export interface PaymentFacts {
  amount: bigint;
  blockNumber: number;
  blockTime: number;
  orphaned: boolean;
  /** False for a payment made after the monitoring window. */
  counted: boolean;
}

export interface StatusInput {
  amount: bigint;
  expiresAt: number;
  status: InvoiceStatus;
  detectedAt: string | null;
  confirmedAt: string | null;
  manual: boolean;
  payments: PaymentFacts[];
  /** Highest canonical block the scanner has seen, or null before the first scan. */
  head: number | null;
  confirmations: number;
  now: number;
}

export interface StatusOutcome {
  status: InvoiceStatus;
  exceptionStatus: ExceptionStatus | null;
  amountReceived: bigint;
  detectedAt: string | null;
  confirmedAt: string | null;
  /** Per input payment, in the same order. */
  paymentStatuses: ('pending' | 'confirmed' | 'orphaned')[];
  /** Status events to emit, in order (payment_received is the caller's, per new payment). */
  events: InvoiceEventType[];
}

const RANK: Record<InvoiceStatus, number> = { pending: 0, expired: 0, detected: 1, confirmed: 2, settled: 3, invalid: -1 };

export const paymentDepth = (blockNumber: number, head: number | null): number =>
  head === null || head < blockNumber ? 0 : head - blockNumber + 1;

export function evaluateInvoice(input: StatusInput): StatusOutcome {
  const nowIso = new Date(input.now).toISOString();
  const paymentStatuses = input.payments.map((payment) =>
    payment.orphaned
      ? 'orphaned'
      : paymentDepth(payment.blockNumber, input.head) >= input.confirmations
        ? 'confirmed'
        : 'pending',
  );
  const counted = input.payments
    .map((payment, index) => ({ payment, deep: paymentStatuses[index] === 'confirmed' }))
    .filter(({ payment }) => payment.counted && !payment.orphaned);
  const sumAll = counted.reduce((sum, { payment }) => sum + payment.amount, 0n);
  const sumDeep = counted.reduce((sum, { payment, deep }) => (deep ? sum + payment.amount : sum), 0n);
  const amountReceived = input.payments.reduce((sum, payment) => (payment.orphaned ? sum : sum + payment.amount), 0n);

  // Settled and invalid are set by the sweeper and the operator; payments only update the totals.
  if (input.status === 'settled' || input.status === 'invalid' || input.manual) {
    return {
      status: input.status,
      exceptionStatus: null,
      amountReceived,
      detectedAt: input.detectedAt,
      confirmedAt: input.confirmedAt,
      paymentStatuses,
      events: [],
    };
  }

  // Paid late: the payment that completed the amount was mined after the expiry.
  let late = false;
  let running = 0n;
  for (const { payment } of [...counted].sort((a, b) => a.payment.blockNumber - b.payment.blockNumber)) {
    running += payment.amount;
    if (running >= input.amount) {
      late = payment.blockTime > input.expiresAt;
      break;
    }
  }

  let status: InvoiceStatus;
  if (sumDeep >= input.amount) status = 'confirmed';
  else if (sumAll >= input.amount) status = 'detected';
  else if (input.now >= input.expiresAt) status = 'expired';
  else status = 'pending';

  const paid = status === 'detected' || status === 'confirmed';
  const exceptionStatus: ExceptionStatus | null = paid
    ? late
      ? 'paid_late'
      : sumAll > input.amount
        ? 'overpaid'
        : null
    : sumAll > 0n
      ? 'underpaid'
      : null;

  const events: InvoiceEventType[] = [];
  const before = RANK[input.status];
  const after = RANK[status];
  if (after < before) events.push('invoice.reverted');
  // Also after a reverted payment of an invoice whose time ran out meanwhile: subscribers follow
  // the status through events, so the step to expired is always announced.
  if (status === 'expired' && input.status !== 'expired') events.push('invoice.expired');
  if (after > before) {
    if (input.status === 'expired') events.push('invoice.paid_late');
    if (before < 1) events.push('invoice.detected');
    if (after === 2) events.push('invoice.confirmed');
  }

  return {
    status,
    exceptionStatus,
    amountReceived,
    detectedAt: paid ? (input.detectedAt ?? nowIso) : null,
    confirmedAt: status === 'confirmed' ? (input.confirmedAt ?? nowIso) : null,
    paymentStatuses,
    events,
  };
}
