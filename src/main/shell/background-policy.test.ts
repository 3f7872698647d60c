import { describe, expect, it } from 'vitest';
import type { Invoice } from '../../shared/domain.ts';
import {
  createPaymentNotifier,
  decideOnClose,
  describeWork,
  keptRunningNotice,
  readBackgroundWork,
  trayToolTip,
  type WorkSource,
} from './background-policy.ts';

const idle = { openInvoices: 0, sweepsInFlight: 0 };

function invoice(overrides: Partial<Invoice> = {}): Invoice {
  return {
    id: 'inv_1',
    status: 'pending',
    exceptionStatus: null,
    chainId: 8453,
    token: { address: '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913', symbol: 'USDC', decimals: 6 },
    amount: '12.5',
    amountReceived: '0',
    address: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
    derivationIndex: 0,
    paymentUri: 'ethereum:0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913@8453/transfer',
    orderId: null,
    metadata: null,
    createdAt: '2026-12-06T09:00:00.000Z',
    expiresAt: '2026-12-06T10:00:00.000Z',
    detectedAt: null,
    confirmedAt: null,
    settledAt: null,
    payments: [],
    sweep: null,
    redirectUrl: null,
    price: null,
    rate: null,
    checkoutUrl: null,
    ...overrides,
  };
}

describe('decideOnClose', () => {
  it.each(['win32', 'linux'] as const)('%s: hides to the tray while an invoice is open', (platform) => {
    expect(decideOnClose({ openInvoices: 1, sweepsInFlight: 0 }, platform)).toEqual({ action: 'hide', reason: 'busy' });
  });

  it.each(['win32', 'linux'] as const)('%s: hides to the tray while a sweep is in flight', (platform) => {
    expect(decideOnClose({ openInvoices: 0, sweepsInFlight: 2 }, platform)).toEqual({ action: 'hide', reason: 'busy' });
  });

  it.each(['win32', 'linux'] as const)('%s: quits when nothing is waiting', (platform) => {
    expect(decideOnClose(idle, platform)).toEqual({ action: 'quit' });
  });

  it('macOS: stays in the dock, busy or not', () => {
    expect(decideOnClose(idle, 'darwin')).toEqual({ action: 'hide', reason: 'macos' });
    expect(decideOnClose({ openInvoices: 3, sweepsInFlight: 1 }, 'darwin')).toEqual({ action: 'hide', reason: 'macos' });
  });

  it('work unknown (the engine did not answer): stays rather than stop watching a payment', () => {
    expect(decideOnClose(undefined, 'linux')).toEqual({ action: 'hide', reason: 'unknown' });
  });
});

describe('what the merchant reads', () => {
  it('names the work in words, singular and plural', () => {
    expect(describeWork(idle)).toBeUndefined();
    expect(describeWork({ openInvoices: 1, sweepsInFlight: 0 })).toBe('1 open invoice');
    expect(describeWork({ openInvoices: 2, sweepsInFlight: 1 })).toBe('2 open invoices and 1 sweep in flight');
    expect(describeWork({ openInvoices: 0, sweepsInFlight: 3 })).toBe('3 sweeps in flight');
  });

  it('the tray tooltip and the kept-running notice', () => {
    expect(trayToolTip(undefined)).toBe('Till');
    expect(trayToolTip({ openInvoices: 2, sweepsInFlight: 0 })).toBe('Till: 2 open invoices');
    expect(keptRunningNotice({ openInvoices: 1, sweepsInFlight: 1 })).toEqual({
      title: 'Till is still running',
      body: 'It keeps watching 1 open invoice and 1 sweep in flight. Open it or quit it from the Till icon in the tray.',
    });
    expect(keptRunningNotice(undefined).body).toBe('Open it or quit it from the Till icon in the tray.');
  });
});

describe('createPaymentNotifier', () => {
  it('notifies once when an invoice becomes confirmed, with the amount, token and order', () => {
    const notifier = createPaymentNotifier();
    expect(notifier.noticeFor(invoice({ status: 'detected', amountReceived: '12.5' }))).toBeUndefined();
    expect(notifier.noticeFor(invoice({ status: 'confirmed', amountReceived: '12.5', orderId: 'order-1042' }))).toEqual({
      title: 'Payment confirmed',
      body: '12.5 USDC received for order order-1042.',
    });
    expect(notifier.noticeFor(invoice({ status: 'confirmed', amountReceived: '13' }))).toBeUndefined();
    expect(notifier.noticeFor(invoice({ status: 'settled', amountReceived: '13' }))).toBeUndefined();
  });

  it('stays quiet for pending, detected, expired and invalid invoices', () => {
    const notifier = createPaymentNotifier();
    for (const status of ['pending', 'detected', 'expired', 'invalid', 'settled'] as const)
      expect(notifier.noticeFor(invoice({ id: `inv_${status}`, status }))).toBeUndefined();
  });

  it('a reorg that steps a confirmed invoice back and forward again does not notify twice', () => {
    const notifier = createPaymentNotifier();
    expect(notifier.noticeFor(invoice({ status: 'confirmed' }))).toBeDefined();
    expect(notifier.noticeFor(invoice({ status: 'pending' }))).toBeUndefined();
    expect(notifier.noticeFor(invoice({ status: 'confirmed' }))).toBeUndefined();
  });

  it('says when a payment was more than asked or late', () => {
    const notifier = createPaymentNotifier();
    expect(
      notifier.noticeFor(invoice({ id: 'a', status: 'confirmed', amountReceived: '20', exceptionStatus: 'overpaid' }))?.body,
    ).toBe('20 USDC received (overpaid).');
    expect(notifier.noticeFor(invoice({ id: 'b', status: 'confirmed', exceptionStatus: 'paid_late' }))?.body).toBe(
      '0 USDC received (paid late).',
    );
  });
});

describe('readBackgroundWork', () => {
  const engineWith = (counts: Record<string, number>, failing?: string): WorkSource & { calls: unknown[] } => {
    const calls: unknown[] = [];
    return {
      calls,
      call: (async (method: string, input: { status: string }) => {
        calls.push({ method, input });
        const key = `${method} ${input.status}`;
        if (key === failing) return { ok: false, error: { code: 'INTERNAL', message: 'database is locked' } };
        return { ok: true, value: { items: Array.from({ length: counts[key] ?? 0 }, () => ({})), nextCursor: null } };
      }) as WorkSource['call'],
    };
  };

  it('counts pending and detected invoices, pending and mined sweeps', async () => {
    const engine = engineWith({
      'invoices.list pending': 2,
      'invoices.list detected': 1,
      'sweeps.list pending': 1,
      'sweeps.list mined': 3,
    });
    expect(await readBackgroundWork(engine)).toEqual({ openInvoices: 3, sweepsInFlight: 4 });
    expect(engine.calls).toContainEqual({ method: 'invoices.list', input: { status: 'pending', limit: 500 } });
  });

  it('rejects when the engine answers with an error', async () => {
    await expect(readBackgroundWork(engineWith({}, 'sweeps.list mined'))).rejects.toThrow(/INTERNAL database is locked/);
  });
});
