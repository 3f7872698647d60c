import { parseEther } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnvil, type Anvil } from './fixtures/anvil.ts';
import { deployTestToken, mine, sendNative, transferToken } from './fixtures/chain-actions.ts';
import { startDetectionEngine, type DetectionEngine } from './fixtures/detection.ts';

describe('payment detection on anvil', () => {
  let anvil: Anvil;
  let till: DetectionEngine;
  let usdc: `0x${string}`;
  let usdt: `0x${string}`;

  beforeAll(async () => {
    anvil = await startAnvil();
    usdc = await deployTestToken(anvil, { name: 'USD Coin', symbol: 'USDC', decimals: 6 });
    usdt = await deployTestToken(anvil, { name: 'Tether', symbol: 'USDT', decimals: 6 });
    till = await startDetectionEngine(anvil, {
      confirmations: 3,
      tokens: [
        { symbol: 'USDC', address: usdc, decimals: 6 },
        { symbol: 'USDT', address: usdt, decimals: 6 },
      ],
    });
  });
  afterAll(async () => {
    await till?.close();
    await anvil?.stop();
  });

  it('a native payment goes pending → detected → confirmed at the configured depth', async () => {
    const invoice = await till.create({ amount: '0.5' });
    await sendNative(anvil, { to: invoice.address as `0x${string}`, value: parseEther('0.5') });
    const detected = await till.until(invoice.id, (i) => i.status === 'detected', 'detected');
    expect(detected.payments).toHaveLength(1);
    expect(detected.payments[0]).toMatchObject({ amount: '0.5', logIndex: null, status: 'pending', confirmations: 1 });
    await mine(anvil, 2);
    const confirmed = await till.until(invoice.id, (i) => i.status === 'confirmed', 'confirmed');
    expect(confirmed).toMatchObject({ amountReceived: '0.5', exceptionStatus: null });
    expect(confirmed.payments[0]).toMatchObject({ status: 'confirmed', confirmations: 3 });
    expect(till.eventTypes(invoice.id)).toEqual([
      'invoice.created',
      'invoice.payment_received',
      'invoice.detected',
      'invoice.confirmed',
    ]);
  });

  it('an ERC-20 payment is detected and confirmed; a partial one stays pending underpaid until the rest arrives', async () => {
    const invoice = await till.create({ token: 'USDC', amount: '25' });
    await transferToken(anvil, { token: usdc, to: invoice.address as `0x${string}`, amount: 10_000_000n });
    const partial = await till.until(invoice.id, (i) => i.exceptionStatus === 'underpaid', 'underpaid');
    expect(partial).toMatchObject({ status: 'pending', amountReceived: '10' });
    await transferToken(anvil, { token: usdc, to: invoice.address as `0x${string}`, amount: 15_000_000n });
    await mine(anvil, 3);
    const confirmed = await till.until(invoice.id, (i) => i.status === 'confirmed', 'confirmed');
    expect(confirmed).toMatchObject({ amountReceived: '25', exceptionStatus: null });
    expect(confirmed.payments.map((p) => p.amount)).toEqual(['10', '15']);
  });

  it('an overpayment is confirmed as overpaid with the total received', async () => {
    const invoice = await till.create({ token: 'USDC', amount: '5' });
    await transferToken(anvil, { token: usdc, to: invoice.address as `0x${string}`, amount: 7_500_000n });
    await mine(anvil, 3);
    const confirmed = await till.until(invoice.id, (i) => i.status === 'confirmed', 'confirmed');
    expect(confirmed).toMatchObject({ exceptionStatus: 'overpaid', amountReceived: '7.5' });
  });

  it('a wrong token sent to a deposit address raises an alert and is not counted', async () => {
    const invoice = await till.create({ token: 'USDC', amount: '5' });
    await transferToken(anvil, { token: usdt, to: invoice.address as `0x${string}`, amount: 5_000_000n });
    await mine(anvil, 3);
    const alerts = await (async () => {
      for (;;) {
        const list = await till.engine.invoke('alerts.list', {});
        const found = list.filter((alert) => alert.type === 'wrong_token' && alert.invoiceId === invoice.id);
        if (found.length > 0) return found;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    expect(alerts).toHaveLength(1);
    const after = await till.invoice(invoice.id);
    expect(after).toMatchObject({ status: 'pending', amountReceived: '0', payments: [] });
  });

  it('a payment to an address that is no invoice’s is ignored', async () => {
    const before = till.engine.store.db.prepare('SELECT COUNT(*) AS n FROM payments').get() as { n: number };
    await sendNative(anvil, { to: '0x000000000000000000000000000000000000dEaD', value: parseEther('1') });
    const marker = await till.create({ amount: '0.01' });
    await sendNative(anvil, { to: marker.address as `0x${string}`, value: parseEther('0.01') });
    await till.until(marker.id, (i) => i.status === 'detected', 'marker detected');
    const after = till.engine.store.db.prepare('SELECT COUNT(*) AS n FROM payments').get() as { n: number };
    expect(after.n - before.n).toBe(1);
  });
});
