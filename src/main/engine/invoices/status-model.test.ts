import { describe, expect, it } from 'vitest';
import { evaluateInvoice, type PaymentFacts, type StatusInput } from './status-model.ts';

const T0 = Date.parse('2026-11-25T10:00:00.000Z');
const EXPIRES = T0 + 3_600_000;

const pay = (amount: bigint, blockNumber: number, extra: Partial<PaymentFacts> = {}): PaymentFacts => ({
  amount,
  blockNumber,
  blockTime: T0 + blockNumber * 1000,
  orphaned: false,
  counted: true,
  ...extra,
});

function evaluate(partial: Partial<StatusInput>) {
  return evaluateInvoice({
    amount: 100n,
    expiresAt: EXPIRES,
    status: 'pending',
    detectedAt: null,
    confirmedAt: null,
    manual: false,
    payments: [],
    head: 10,
    confirmations: 3,
    now: T0 + 60_000,
    ...partial,
  });
}

describe('evaluateInvoice', () => {
  it('stays pending with no payment', () => {
    expect(evaluate({})).toMatchObject({ status: 'pending', exceptionStatus: null, amountReceived: 0n, events: [] });
  });

  it('a full payment in the head block is detected, not confirmed', () => {
    const outcome = evaluate({ payments: [pay(100n, 10)] });
    expect(outcome).toMatchObject({
      status: 'detected',
      exceptionStatus: null,
      events: ['invoice.detected'],
      paymentStatuses: ['pending'],
    });
    expect(outcome.detectedAt).not.toBeNull();
  });

  it('is confirmed when the payment is exactly `confirmations` deep (the including block counts as 1)', () => {
    expect(evaluate({ payments: [pay(100n, 8)], status: 'detected', detectedAt: 'x' })).toMatchObject({
      status: 'confirmed',
      events: ['invoice.confirmed'],
      paymentStatuses: ['confirmed'],
      detectedAt: 'x',
    });
    expect(evaluate({ payments: [pay(100n, 9)] }).status).toBe('detected');
  });

  it('jumps pending → confirmed with both events in order after a catch-up', () => {
    expect(evaluate({ payments: [pay(100n, 2)] }).events).toEqual(['invoice.detected', 'invoice.confirmed']);
  });

  it('a partial payment keeps it pending and underpaid; a second payment adds up', () => {
    expect(evaluate({ payments: [pay(40n, 5)] })).toMatchObject({
      status: 'pending',
      exceptionStatus: 'underpaid',
      amountReceived: 40n,
    });
    expect(evaluate({ payments: [pay(40n, 5), pay(60n, 6)] })).toMatchObject({
      status: 'confirmed',
      exceptionStatus: null,
      amountReceived: 100n,
    });
  });

  it('confirmed needs the deep payments alone to add up', () => {
    expect(evaluate({ payments: [pay(40n, 2), pay(60n, 10)] }).status).toBe('detected');
  });

  it('an overpayment is confirmed with exceptionStatus overpaid and the total received', () => {
    expect(evaluate({ payments: [pay(150n, 2)] })).toMatchObject({
      status: 'confirmed',
      exceptionStatus: 'overpaid',
      amountReceived: 150n,
    });
  });

  it('expires unpaid at expiresAt, keeping underpaid when something arrived', () => {
    expect(evaluate({ now: EXPIRES })).toMatchObject({ status: 'expired', events: ['invoice.expired'], exceptionStatus: null });
    expect(evaluate({ now: EXPIRES + 1, payments: [pay(10n, 2)] })).toMatchObject({
      status: 'expired',
      exceptionStatus: 'underpaid',
    });
  });

  it('a full payment after expiry inside the window makes it paid_late', () => {
    const lateBlock = 3_700; // block time T0 + 3,700 s, after the expiry at T0 + 3,600 s
    const outcome = evaluate({
      status: 'expired',
      now: EXPIRES + 200_000,
      head: lateBlock + 5,
      payments: [pay(100n, lateBlock)],
    });
    expect(outcome).toMatchObject({
      status: 'confirmed',
      exceptionStatus: 'paid_late',
      events: ['invoice.paid_late', 'invoice.detected', 'invoice.confirmed'],
    });
  });

  it('a payment after the monitoring window is recorded in the total but never counted', () => {
    const outcome = evaluate({ status: 'expired', now: EXPIRES + 90_000_000, payments: [pay(100n, 5, { counted: false })] });
    expect(outcome).toMatchObject({ status: 'expired', amountReceived: 100n, events: [] });
  });

  it('an orphaned payment stops counting: detected steps back to pending with invoice.reverted', () => {
    const outcome = evaluate({ status: 'detected', detectedAt: 'x', payments: [pay(100n, 10, { orphaned: true })] });
    expect(outcome).toMatchObject({
      status: 'pending',
      events: ['invoice.reverted'],
      detectedAt: null,
      amountReceived: 0n,
      paymentStatuses: ['orphaned'],
    });
  });

  it('a payment orphaned after the expiry steps detected back to expired with invoice.reverted, then invoice.expired', () => {
    const outcome = evaluate({
      status: 'detected',
      detectedAt: 'x',
      now: EXPIRES + 1,
      payments: [pay(100n, 10, { orphaned: true })],
    });
    expect(outcome).toMatchObject({ status: 'expired', events: ['invoice.reverted', 'invoice.expired'], detectedAt: null });
  });

  it('confirmed steps back to detected when a deep payment is replaced by a shallow one', () => {
    const outcome = evaluate({
      status: 'confirmed',
      detectedAt: 'x',
      confirmedAt: 'y',
      payments: [pay(100n, 2, { orphaned: true }), pay(100n, 10)],
    });
    expect(outcome).toMatchObject({ status: 'detected', events: ['invoice.reverted'], confirmedAt: null, detectedAt: 'x' });
  });

  it('leaves settled, invalid and manually paid invoices alone', () => {
    for (const status of ['settled', 'invalid'] as const) {
      expect(evaluate({ status, payments: [pay(100n, 10, { orphaned: true })] })).toMatchObject({ status, events: [] });
    }
    expect(evaluate({ status: 'confirmed', manual: true })).toMatchObject({ status: 'confirmed', events: [] });
  });

  it('is idempotent: evaluating its own outcome again emits nothing', () => {
    const first = evaluate({ payments: [pay(100n, 9)] });
    const second = evaluate({
      payments: [pay(100n, 9)],
      status: first.status,
      detectedAt: first.detectedAt,
      confirmedAt: first.confirmedAt,
    });
    expect(second.events).toEqual([]);
    expect(second.status).toBe(first.status);
  });
});
