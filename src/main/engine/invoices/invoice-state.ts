import type { Store } from '../db/store.ts';
import type { PaymentRecord } from '../db/repositories/payments-repo.ts';
import { isoTime, type Clock } from '../lib/clock.ts';
import { TillError } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';
import { loadInvoiceView } from './invoice-view.ts';
import { evaluateInvoice, type InvoiceEventType } from './status-model.ts';

export interface InvoiceStateDeps {
  store: Store;
  clock: Clock;
}

/**
 * Appends an event for an invoice to the outbox with its snapshot as it is now. Call inside the
 * transaction that made the change, after the change.
 */
export function appendInvoiceEvent(
  store: Store,
  invoiceId: string,
  type: InvoiceEventType,
  now: string,
  extra: Record<string, unknown> = {},
): void {
  const record = store.invoices.get(invoiceId)!;
  store.events.appendForInvoice({
    id: newId('evt'),
    invoiceId,
    type,
    payload: { invoice: loadInvoiceView(store, record), ...extra },
    createdAt: now,
  });
}

/**
 * Re-evaluates one invoice from its stored payments, the chain's scanned head and the clock,
 * and writes what changed (invoice, payment statuses, events) — in the caller's transaction.
 * `newPayments` are announced first with invoice.payment_received. Returns whether anything
 * was written.
 */
export function refreshInvoice(deps: InvoiceStateDeps, invoiceId: string, newPayments: PaymentRecord[] = []): boolean {
  const { store } = deps;
  const record = store.invoices.get(invoiceId);
  if (!record) return false;
  const chain = store.chains.get(record.chainId);
  const payments = store.payments.listForInvoice(invoiceId);
  const nowMs = deps.clock.now();
  const now = isoTime(nowMs);
  const outcome = evaluateInvoice({
    amount: record.amount,
    expiresAt: Date.parse(record.expiresAt),
    status: record.status,
    detectedAt: record.detectedAt,
    confirmedAt: record.confirmedAt,
    manual: record.manual,
    payments: payments.map((payment) => ({
      amount: payment.amount,
      blockNumber: payment.blockNumber,
      blockTime: Date.parse(payment.blockTime),
      orphaned: payment.status === 'orphaned',
      counted: payment.counted,
    })),
    head: store.scanCursors.get(record.chainId)?.blockNumber ?? null,
    confirmations: chain?.confirmations ?? 1,
    now: nowMs,
  });

  let changed = false;
  payments.forEach((payment, index) => {
    const status = outcome.paymentStatuses[index]!;
    if (status !== payment.status && payment.status !== 'orphaned') {
      store.payments.setStatus(payment.id, status, now);
      changed = true;
    }
  });
  if (
    outcome.status !== record.status ||
    outcome.exceptionStatus !== record.exceptionStatus ||
    outcome.amountReceived !== record.amountReceived ||
    outcome.detectedAt !== record.detectedAt ||
    outcome.confirmedAt !== record.confirmedAt
  ) {
    store.invoices.updateState(invoiceId, { ...outcome, manual: record.manual, statusReason: record.statusReason });
    changed = true;
  }
  for (const payment of newPayments) {
    appendInvoiceEvent(store, invoiceId, 'invoice.payment_received', now, {
      payment: { txHash: payment.txHash, logIndex: payment.logIndex < 0 ? null : payment.logIndex },
    });
    changed = true;
  }
  for (const type of outcome.events) appendInvoiceEvent(store, invoiceId, type, now);
  return changed || outcome.events.length > 0;
}

/** Moves every pending invoice past its expiry to expired; returns how many. */
export function expireDueInvoices(deps: InvoiceStateDeps): number {
  const due = deps.store.invoices.dueToExpire(isoTime(deps.clock.now()));
  if (due.length === 0) return 0;
  deps.store.write(() => {
    for (const invoiceId of due) refreshInvoice(deps, invoiceId);
  });
  return due.length;
}

/** Operator: mark an invoice invalid (with a reason). Audited; invalid is final. */
export function markInvoiceInvalid(deps: InvoiceStateDeps, input: { invoiceId: string; reason: string; actor: string }): void {
  const { store } = deps;
  store.write(() => {
    const record = store.invoices.get(input.invoiceId);
    if (!record) throw new TillError('INVOICE_NOT_FOUND', `No invoice with id ${input.invoiceId.slice(0, 64)}.`);
    if (record.status === 'invalid') throw new TillError('INVOICE_STATE_CONFLICT', 'This invoice is already marked invalid.');
    if (record.status === 'settled')
      throw new TillError('INVOICE_STATE_CONFLICT', 'A settled invoice cannot be marked invalid: its funds are in the treasury.');
    const now = isoTime(deps.clock.now());
    store.invoices.updateState(record.id, { ...record, status: 'invalid', statusReason: input.reason });
    store.operatorLog.record(
      {
        actor: input.actor,
        action: 'invoice.mark_invalid',
        target: record.id,
        details: { reason: input.reason, previousStatus: record.status },
      },
      now,
    );
    appendInvoiceEvent(store, record.id, 'invoice.invalid', now, { reason: input.reason });
  });
}

/** Operator: mark an invoice paid by hand (cash, a payment Till could not see). Audited and flagged manual. */
export function markInvoicePaid(deps: InvoiceStateDeps, input: { invoiceId: string; reason: string; actor: string }): void {
  const { store } = deps;
  store.write(() => {
    const record = store.invoices.get(input.invoiceId);
    if (!record) throw new TillError('INVOICE_NOT_FOUND', `No invoice with id ${input.invoiceId.slice(0, 64)}.`);
    if (record.status === 'confirmed' || record.status === 'settled') {
      throw new TillError('INVOICE_STATE_CONFLICT', `This invoice is already ${record.status}; there is nothing to mark.`);
    }
    if (record.status === 'invalid') throw new TillError('INVOICE_STATE_CONFLICT', 'An invalid invoice cannot be marked paid.');
    const now = isoTime(deps.clock.now());
    store.invoices.updateState(record.id, {
      ...record,
      status: 'confirmed',
      detectedAt: record.detectedAt ?? now,
      confirmedAt: now,
      manual: true,
      statusReason: input.reason,
    });
    store.operatorLog.record(
      {
        actor: input.actor,
        action: 'invoice.mark_paid',
        target: record.id,
        details: { reason: input.reason, previousStatus: record.status },
      },
      now,
    );
    appendInvoiceEvent(store, record.id, 'invoice.marked_paid', now, { reason: input.reason });
  });
}

/**
 * Sweeper: the sweep that moved the invoice's funds reached the chain's confirmation depth. A
 * confirmed invoice becomes settled and announces it, in the caller's transaction (the one that
 * records the sweep as final). Returns whether it settled.
 */
export function settleInvoice(store: Store, invoiceId: string, now: string): boolean {
  if (!store.invoices.settle(invoiceId, now)) return false;
  appendInvoiceEvent(store, invoiceId, 'invoice.settled', now);
  return true;
}

/** A reorg removed the sweep that settled the invoice: confirmed again, announced as reverted. */
export function unsettleInvoice(store: Store, invoiceId: string, now: string): boolean {
  if (!store.invoices.unsettle(invoiceId)) return false;
  appendInvoiceEvent(store, invoiceId, 'invoice.reverted', now, { reason: 'the sweep that settled it left the canonical chain' });
  return true;
}
