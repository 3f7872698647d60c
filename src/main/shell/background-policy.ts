/**
 * What the desktop app does when its window is closed, and which engine events become an OS
 * notification. Pure decisions on plain data: no Electron here, so every rule is unit-tested
 * (tray.ts applies them to Electron's Tray, Menu, Notification and window).
 */
import type { MethodName, MethodOutput, Result } from '../../shared/contract.ts';
import type { Invoice } from '../../shared/domain.ts';

/** What keeps Till busy after its window is gone. */
export interface BackgroundWork {
  /** Invoices still waiting for their payment or its confirmations (pending, detected). */
  openInvoices: number;
  /** Sweeps signed and sent, not yet final (pending, mined). */
  sweepsInFlight: number;
}

export type CloseDecision =
  /** Hide the window; the engine keeps scanning. */
  | { action: 'hide'; reason: 'macos' | 'busy' | 'unknown' }
  /** Nothing is waiting: quitting (which stops the engine cleanly) loses nothing. */
  | { action: 'quit' };

export const hasWork = (work: BackgroundWork): boolean => work.openInvoices > 0 || work.sweepsInFlight > 0;

/**
 * Closing the window must not stop the engine while a payment or a sweep is under way: on
 * Windows and Linux Till then stays in the tray, and quits when there is nothing to wait for
 * (as it did before). On macOS an app lives on in the dock after its last window closes, as
 * every Mac app does; Quit Till (or Cmd+Q) quits. When the work could not be read (`undefined`),
 * Till stays: quitting by mistake would stop watching a payment, staying costs a tray icon.
 */
export function decideOnClose(work: BackgroundWork | undefined, platform: NodeJS.Platform): CloseDecision {
  if (platform === 'darwin') return { action: 'hide', reason: 'macos' };
  if (work === undefined) return { action: 'hide', reason: 'unknown' };
  return hasWork(work) ? { action: 'hide', reason: 'busy' } : { action: 'quit' };
}

const plural = (count: number, one: string, many: string): string => `${count} ${count === 1 ? one : many}`;

/** "2 open invoices and 1 sweep in flight"; `undefined` when there is no work. */
export function describeWork(work: BackgroundWork): string | undefined {
  const parts = [
    ...(work.openInvoices > 0 ? [plural(work.openInvoices, 'open invoice', 'open invoices')] : []),
    ...(work.sweepsInFlight > 0 ? [plural(work.sweepsInFlight, 'sweep in flight', 'sweeps in flight')] : []),
  ];
  return parts.length === 0 ? undefined : parts.join(' and ');
}

export interface Notice {
  title: string;
  body: string;
}

/** Shown once per run, the first time the window goes to the tray, so nobody thinks Till quit. */
export function keptRunningNotice(work: BackgroundWork | undefined): Notice {
  const what = work && describeWork(work);
  return {
    title: 'Till is still running',
    body: `${what ? `It keeps watching ${what}. ` : ''}Open it or quit it from the Till icon in the tray.`,
  };
}

export function trayToolTip(work: BackgroundWork | undefined): string {
  const what = work && describeWork(work);
  return what ? `Till: ${what}` : 'Till';
}

export function paymentConfirmedNotice(invoice: Invoice): Notice {
  const order = invoice.orderId ? ` for order ${invoice.orderId}` : '';
  const exception =
    invoice.exceptionStatus === 'overpaid' ? ' (overpaid)' : invoice.exceptionStatus === 'paid_late' ? ' (paid late)' : '';
  return {
    title: 'Payment confirmed',
    body: `${invoice.amountReceived} ${invoice.token.symbol} received${order}${exception}.`,
  };
}

/** Remembered confirmations: enough for any burst, small enough to keep for months. */
const REMEMBERED_INVOICES = 2_000;

/**
 * Which `invoice.changed` events notify: the first time an invoice is seen confirmed, once per
 * invoice. Later events of the same invoice (settled, a second payment, a reorg that steps it
 * back and forward again) stay quiet. The engine only pushes changes made after it started, so
 * an invoice first seen confirmed was confirmed just now.
 */
export function createPaymentNotifier(): { noticeFor(invoice: Invoice): Notice | undefined } {
  const notified = new Set<string>();
  return {
    noticeFor(invoice) {
      if (invoice.status !== 'confirmed' || notified.has(invoice.id)) return undefined;
      notified.add(invoice.id);
      if (notified.size > REMEMBERED_INVOICES) notified.delete(notified.values().next().value!);
      return paymentConfirmedNotice(invoice);
    },
  };
}

/** The part of the engine this needs; `Engine` satisfies it structurally. */
export interface WorkSource {
  call<M extends MethodName>(method: M, input: unknown): Promise<Result<MethodOutput<M>>>;
}

/** Counts up to this many per status: the decision only needs "any", the tooltip a rough number. */
const COUNT_LIMIT = 500;

/** Reads the work from the engine through the contract; rejects when the engine cannot answer. */
export async function readBackgroundWork(engine: WorkSource): Promise<BackgroundWork> {
  const count = async (method: 'invoices.list' | 'sweeps.list', status: string): Promise<number> => {
    const result = await engine.call(method, { status, limit: COUNT_LIMIT });
    if (!result.ok) throw new Error(`${method} ${status}: ${result.error.code} ${result.error.message}`);
    return result.value.items.length;
  };
  const [pending, detected, sweepsPending, sweepsMined] = await Promise.all([
    count('invoices.list', 'pending'),
    count('invoices.list', 'detected'),
    count('sweeps.list', 'pending'),
    count('sweeps.list', 'mined'),
  ]);
  return { openInvoices: pending + detected, sweepsInFlight: sweepsPending + sweepsMined };
}
