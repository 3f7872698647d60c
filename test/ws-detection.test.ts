import { parseEther, type Address, type Hex } from 'viem';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startAnvil, type Anvil } from './fixtures/anvil.ts';
import { mine, revert, sendNative, snapshot } from './fixtures/chain-actions.ts';
import { startHarness, type Harness } from './fixtures/detection-harness.ts';
import { waitFor } from './fixtures/ports.ts';

/** An engine whose only RPC URL is anvil's WebSocket (same port as its HTTP). */
describe('payment detection over a WebSocket RPC URL', () => {
  let anvil: Anvil;
  let wsUrl: string;
  let harness: Harness | undefined;
  let clean: Hex;

  beforeAll(async () => {
    anvil = await startAnvil();
    wsUrl = anvil.rpcUrl.replace(/^http/, 'ws');
    // harness.caughtUp() waits for a truthy cursor: start above block 0.
    await mine(anvil, 1);
  });
  beforeEach(async () => {
    clean = await snapshot(anvil);
  });
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
    // Each test's engine allocates the same first deposit address: give it an unpaid one.
    await revert(anvil, clean);
  });
  afterAll(async () => {
    await anvil?.stop();
  });

  async function live(till: Harness): Promise<void> {
    await till.caughtUp();
    await waitFor(
      () => till.engine.chainHealth()[0]?.endpoints[0]?.newHeads === 'live',
      'the newHeads subscription to be live',
      10_000,
    );
  }

  it('an engine with only a ws URL detects a native payment and confirms it', async () => {
    harness = await startHarness(anvil, { rpcUrls: [wsUrl], confirmations: 3 });
    await live(harness);
    const invoice = await harness.create({ amount: '0.5' });
    await sendNative(anvil, { to: invoice.address as Address, value: parseEther('0.5') });
    const detected = await harness.until(invoice.id, (i) => i.status === 'detected', 'detected');
    expect(detected.payments).toMatchObject([{ amount: '0.5', logIndex: null, status: 'pending' }]);
    await mine(anvil, 2);
    const confirmed = await harness.until(invoice.id, (i) => i.status === 'confirmed', 'confirmed');
    expect(confirmed.payments).toMatchObject([{ status: 'confirmed', confirmations: 3 }]);
    expect(harness.eventTypes(invoice.id)).toEqual([
      'invoice.created',
      'invoice.payment_received',
      'invoice.detected',
      'invoice.confirmed',
    ]);
    expect(harness.engine.chainHealth()[0]!.endpoints).toMatchObject([
      { url: wsUrl, newHeads: 'live', circuit: 'closed', failures: 0 },
    ]);
  });

  it('with a 60 s poll interval, newHeads still brings a payment in within the 15 s deadline', async () => {
    // Polling alone would look again only 60 s after the last step: inside the deadline, only the
    // subscription's wake-up can move the invoice.
    harness = await startHarness(anvil, { rpcUrls: [wsUrl], confirmations: 2, pollIntervalMs: 60_000 });
    await live(harness);
    const invoice = await harness.create({ amount: '0.25' });
    await sendNative(anvil, { to: invoice.address as Address, value: parseEther('0.25') });
    await harness.until(invoice.id, (i) => i.status === 'detected', 'detected', 15_000);
    await mine(anvil, 1);
    const confirmed = await harness.until(invoice.id, (i) => i.status === 'confirmed', 'confirmed', 15_000);
    expect(confirmed.payments).toMatchObject([{ amount: '0.25', status: 'confirmed', confirmations: 2 }]);
  });
});
