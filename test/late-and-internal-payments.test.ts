import { parseEther, type Address, type Hex } from 'viem';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startAnvil, type Anvil } from './fixtures/anvil.ts';
import {
  deployForwarder,
  deployTestToken,
  forwardNative,
  installMulticall3,
  mine,
  reorg,
  revert,
  sendNative,
  snapshot,
  transferToken,
} from './fixtures/chain-actions.ts';
import {
  adjustableClock,
  expectOutboxConsistent,
  headOf,
  startHarness,
  type AdjustableClock,
  type Harness,
} from './fixtures/detection-harness.ts';
import { waitFor } from './fixtures/ports.ts';

const CONFIRMATIONS = 2;

describe('expiry, late payments, internal transfers, recheck and rescan', () => {
  let anvil: Anvil;
  let usdc: Address;
  let forwarder: Address;
  let till: Harness;
  let clock: AdjustableClock;
  let clean: Hex;

  beforeAll(async () => {
    anvil = await startAnvil();
    usdc = await deployTestToken(anvil, { symbol: 'USDC', decimals: 6 });
    forwarder = await deployForwarder(anvil);
    await installMulticall3(anvil);
    await mine(anvil, 1);
  });
  afterAll(async () => {
    await anvil?.stop();
  });
  beforeEach(async () => {
    clean = await snapshot(anvil);
    clock = adjustableClock();
    till = await startHarness(anvil, {
      confirmations: CONFIRMATIONS,
      clock,
      tokens: [{ symbol: 'USDC', address: usdc, decimals: 6 }],
    });
  });
  afterEach(async () => {
    await till?.close();
    await revert(anvil, clean);
  });

  /** The next block is stamped just after the invoice's expiry (anvil's time follows the wall clock otherwise). */
  async function nextBlockAfter(iso: string) {
    const seconds = Math.ceil(Date.parse(iso) / 1000) + 1;
    const latest = await anvil.rpc<{ timestamp: string }>('eth_getBlockByNumber', ['latest', false]);
    await anvil.rpc('evm_setNextBlockTimestamp', [Math.max(seconds, Number(BigInt(latest.timestamp)) + 1)]);
  }

  it('an unpaid invoice expires on time with invoice.expired', async () => {
    const invoice = await till.create({ amount: '0.1', expiresInSeconds: 1 });
    const expired = await till.until(invoice.id, (i) => i.status === 'expired', 'expired', 10_000);
    expect(expired).toMatchObject({ exceptionStatus: null, amountReceived: '0' });
    expect(till.eventTypes(invoice.id)).toEqual(['invoice.created', 'invoice.expired']);
  });

  it('a full payment after expiry but inside the monitoring window confirms the invoice as paid_late', async () => {
    const invoice = await till.create({ amount: '0.2', expiresInSeconds: 1, monitoringWindowSeconds: 3600 });
    await till.until(invoice.id, (i) => i.status === 'expired', 'expired', 10_000);
    await nextBlockAfter(invoice.expiresAt);
    await sendNative(anvil, { to: invoice.address as Address, value: parseEther('0.2') });
    await mine(anvil, CONFIRMATIONS - 1);
    const confirmed = await till.until(invoice.id, (i) => i.status === 'confirmed', 'confirmed late');
    expect(confirmed).toMatchObject({ exceptionStatus: 'paid_late', amountReceived: '0.2' });
    expect(till.eventTypes(invoice.id)).toEqual([
      'invoice.created',
      'invoice.expired',
      'invoice.payment_received',
      'invoice.paid_late',
      'invoice.detected',
      'invoice.confirmed',
    ]);
    expectOutboxConsistent(till.engine, invoice.id);
  });

  it('an ERC-20 payment after the monitoring window is recorded, not counted, and raises payment_after_window', async () => {
    const invoice = await till.create({ token: 'USDC', amount: '3', expiresInSeconds: 1, monitoringWindowSeconds: 0 });
    await till.until(invoice.id, (i) => i.status === 'expired', 'expired', 10_000);
    await nextBlockAfter(invoice.expiresAt);
    const tx = await transferToken(anvil, { token: usdc, to: invoice.address as Address, amount: 3_000_000n });
    await mine(anvil, CONFIRMATIONS);
    const alert = await till.waitForAlert(
      (a) => a.type === 'payment_after_window' && a.invoiceId === invoice.id,
      'a payment_after_window alert',
    );
    expect(alert.details).toMatchObject({ txHash: tx, amount: '3000000' });
    await till.caughtUp();
    const after = await till.invoice(invoice.id);
    expect(after).toMatchObject({ status: 'expired', amountReceived: '3' });
    expect(after.payments).toMatchObject([{ txHash: tx, amount: '3' }]);
    expect(till.payments(invoice.id)).toMatchObject([{ txHash: tx, counted: false }]);
    expect(till.eventTypes(invoice.id)).not.toContain('invoice.detected');
    expect(till.eventTypes(invoice.id)).not.toContain('invoice.paid_late');
  });

  it('a payment reorged out after the expiry leaves the invoice expired and says so with invoice.expired', async () => {
    const invoice = await till.create({ amount: '0.1', expiresInSeconds: 2 });
    await sendNative(anvil, { to: invoice.address as Address, value: parseEther('0.1') });
    await till.until(invoice.id, (i) => i.status === 'detected', 'detected before expiry');
    await waitFor(() => Date.now() > Date.parse(invoice.expiresAt) + 100, 'the expiry to pass', 10_000);
    await reorg(anvil, 1);
    const after = await till.until(invoice.id, (i) => i.status !== 'detected', 'the reorg to be handled');
    expect(after.status).toBe('expired');
    // Subscribers follow the status through events: the step to expired must be announced too.
    expect(till.eventTypes(invoice.id)).toEqual([
      'invoice.created',
      'invoice.payment_received',
      'invoice.detected',
      'invoice.reverted',
      'invoice.expired',
    ]);
  });

  it('native coin paid by a contract (internal transfer) is not counted and the balance reconcile raises internal_transfer', async () => {
    const invoice = await till.create({ amount: '0.3' });
    const value = parseEther('0.3');
    await forwardNative(anvil, { forwarder, to: invoice.address as Address, value });
    await mine(anvil, CONFIRMATIONS);
    await till.caughtUp();
    // The reconcile runs every RECONCILE_EVERY_MS (30 s, not injectable): move the engine's clock past it.
    clock.advance(31_000);
    const alert = await till.waitForAlert(
      (a) => a.type === 'internal_transfer' && a.invoiceId === invoice.id,
      'an internal_transfer alert',
    );
    expect(alert.details).toMatchObject({ extra: value.toString(), recorded: '0', balance: value.toString() });
    expect(alert.message).toContain(value.toString());
    expect(await till.invoice(invoice.id)).toMatchObject({ status: 'pending', amountReceived: '0', payments: [] });
    expect(till.payments(invoice.id)).toEqual([]);
  });

  it('recheck finds a payment made while the chain was paused, once; the scanner does not count it again', async () => {
    await till.caughtUp();
    await till.engine.invoke('chains.pause', { chainId: anvil.chainId });
    const invoice = await till.create({ amount: '0.4' });
    const tx = await sendNative(anvil, { to: invoice.address as Address, value: parseEther('0.4') });
    await mine(anvil, CONFIRMATIONS);
    expect((await till.invoice(invoice.id)).status).toBe('pending');

    const first = await till.engine.invoke('invoices.recheck', { id: invoice.id });
    expect(first.paymentsFound).toBe(1);
    expect(first.invoice).toMatchObject({ status: 'detected', amountReceived: '0.4' });
    const second = await till.engine.invoke('invoices.recheck', { id: invoice.id });
    expect(second.paymentsFound).toBe(0);
    expect(second.invoice).toMatchObject({ status: 'detected', amountReceived: '0.4' });
    expect(till.payments(invoice.id)).toMatchObject([{ txHash: tx }]);

    await till.engine.invoke('chains.resume', { chainId: anvil.chainId });
    await till.caughtUp();
    const confirmed = await till.until(invoice.id, (i) => i.status === 'confirmed', 'confirmed after resume');
    expect(confirmed.payments).toHaveLength(1);
    expect(till.payments(invoice.id)).toHaveLength(1);
    expect(till.eventTypes(invoice.id)).toEqual([
      'invoice.created',
      'invoice.payment_received',
      'invoice.detected',
      'invoice.confirmed',
    ]);
    expectOutboxConsistent(till.engine, invoice.id);
  });

  it('rescan from block 0 counts no payment twice and writes no duplicate event; a rescan past the cursor is refused', async () => {
    const native = await till.create({ amount: '0.5' });
    const token = await till.create({ token: 'USDC', amount: '7' });
    const waiting = await till.create({ amount: '0.05' });
    await sendNative(anvil, { to: native.address as Address, value: parseEther('0.5') });
    await transferToken(anvil, { token: usdc, to: token.address as Address, amount: 7_000_000n });
    await mine(anvil, CONFIRMATIONS);
    await till.until(native.id, (i) => i.status === 'confirmed', 'native confirmed');
    await till.until(token.id, (i) => i.status === 'confirmed', 'token confirmed');
    // One invoice still short of its depth while the rescan runs.
    await sendNative(anvil, { to: waiting.address as Address, value: parseEther('0.05') });
    await till.until(waiting.id, (i) => i.status === 'detected', 'detected');
    const head = await till.caughtUp();

    const payments = till.payments();
    const events = [native, token, waiting].map((i) => till.eventTypes(i.id));
    await till.engine.invoke('chains.rescan', { chainId: anvil.chainId, fromBlock: 0 });
    expect(till.cursor()).toBe(-1);
    await till.caughtUp(head);
    expect(till.payments()).toEqual(payments);
    expect([native, token, waiting].map((i) => till.eventTypes(i.id))).toEqual(events);

    await mine(anvil, CONFIRMATIONS);
    await till.until(waiting.id, (i) => i.status === 'confirmed', 'the waiting one confirmed');
    expect(till.eventTypes(waiting.id)).toEqual([...events[2]!, 'invoice.confirmed']);
    for (const invoice of [native, token, waiting]) expectOutboxConsistent(till.engine, invoice.id);

    const cursor = till.cursor()!;
    const refused = await till.engine.call('chains.rescan', { chainId: anvil.chainId, fromBlock: cursor + 2 });
    expect(refused).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(refused.ok ? '' : refused.error.message).toBe(
      `Block ${cursor + 2} is past the last scanned block ${cursor}: skipping blocks could miss payments. Choose a block at or below ${cursor + 1}.`,
    );
    expect(till.cursor()).toBeGreaterThanOrEqual(cursor);
    expect(await headOf(anvil)).toBeGreaterThanOrEqual(cursor);
  });
});
