import { parseEther, type Address, type Hex } from 'viem';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startAnvil, type Anvil } from './fixtures/anvil.ts';
import { mine, reorg, revert, snapshot } from './fixtures/chain-actions.ts';
import {
  canonicalHash,
  expectOutboxConsistent,
  headOf,
  sendRaw,
  signNative,
  startHarness,
  type Harness,
} from './fixtures/detection-harness.ts';
import { testNativeDetection } from './fixtures/native-detection.ts';
import { waitFor } from './fixtures/ports.ts';
import { portOf, startTcpProxy, type TcpProxy } from './fixtures/tcp-proxy.ts';

/**
 * Tracking the head over a ws URL (balance-first here, block bodies in test/blocks-mode/): the
 * headers the node pushes through newHeads stand in for reading them (a busy block's header lists every
 * transaction hash), and a header pushed before a gap in the subscription is never trusted. The
 * engine talks to anvil only through a TCP proxy that counts the JSON-RPC methods it sends.
 */
const CONFIRMATIONS = 3;
const PAYER = 5;

describe('live tracking over ws uses the pushed headers', () => {
  let anvil: Anvil;
  let proxy: TcpProxy;
  let till: Harness | undefined;
  let clean: Hex;

  beforeAll(async () => {
    anvil = await startAnvil();
    await mine(anvil, 5);
  });
  beforeEach(async () => {
    clean = await snapshot(anvil);
    proxy = await startTcpProxy(portOf(anvil.rpcUrl));
  });
  afterEach(async () => {
    await till?.close();
    till = undefined;
    await proxy.close();
    await revert(anvil, clean);
  });
  afterAll(async () => {
    await anvil?.stop();
  });

  async function liveHarness(): Promise<Harness> {
    const harness = await startHarness(anvil, {
      rpcUrls: [proxy.wsUrl],
      confirmations: CONFIRMATIONS,
      rpcTuning: { timeoutMs: 1_000 },
    });
    await harness.caughtUp();
    await waitFor(
      () => harness.engine.chainHealth()[0]?.endpoints[0]?.newHeads === 'live',
      'the newHeads subscription to be live',
      10_000,
    );
    return harness;
  }

  const headerReads = () => {
    const methods = proxy.methods();
    return (
      (methods.get('eth_getBlockByNumber') ?? 0) +
      (methods.get('eth_getHeaderByNumber') ?? 0) +
      (methods.get('ots_getBlockDetails') ?? 0)
    );
  };
  /** Balance-first reads no block of a quiet step; reading bodies reads each block's body, and nothing more. */
  const readsPerQuietBlock = () => (testNativeDetection() === 'blocks' ? 1 : 0);

  /** Mines one block and waits until the scanner has stepped onto it. */
  async function mineOne(harness: Harness): Promise<number> {
    await mine(anvil, 1);
    const block = await headOf(anvil);
    await harness.caughtUp(block);
    return block;
  }

  it('a quiet block costs no header read of its own, and a payment among them is detected and confirmed', async () => {
    till = await liveHarness();
    const invoice = await till.create({ amount: '0.5' });
    // The first step with the invoice watched reads the balances it starts from; then it is steady.
    await mineOne(till);
    await mineOne(till);

    const before = headerReads();
    for (let i = 0; i < 5; i++) await mineOne(till);
    // A few idle polls per block too (100 ms poll interval): none of them read the cursor's header.
    expect(headerReads() - before).toBe(5 * readsPerQuietBlock());
    expect(proxy.methods().get('eth_getLogs') ?? 0).toBeGreaterThan(0);
    expect(proxy.methodBytes().get('eth_subscription') ?? 0).toBeGreaterThan(0);

    const signed = await signNative(anvil, { from: PAYER, to: invoice.address as Address, value: parseEther('0.5') });
    const paid = await sendRaw(anvil, signed.raw);
    await till.until(invoice.id, (i) => i.status === 'detected', 'detected');
    // Locating the payment reads its block (the balance changed there); the blocks after it, nothing more.
    const afterPayment = headerReads();
    for (let i = 1; i < CONFIRMATIONS; i++) await mineOne(till);
    const confirmed = await till.until(invoice.id, (i) => i.status === 'confirmed', 'confirmed');
    expect(headerReads() - afterPayment).toBe((CONFIRMATIONS - 1) * readsPerQuietBlock());
    expect(confirmed.payments).toMatchObject([
      { txHash: paid.hash, blockHash: paid.blockHash.toLowerCase(), status: 'confirmed', confirmations: CONFIRMATIONS },
    ]);
    expect(till.eventTypes(invoice.id)).toEqual([
      'invoice.created',
      'invoice.payment_received',
      'invoice.detected',
      'invoice.confirmed',
    ]);
    expect(till.engine.chainHealth()[0]!.endpoints).toMatchObject([{ newHeads: 'live', failures: 0 }]);
  });

  it('a same-height reorg that moves the payment is pushed, seen on an idle poll, and moves the one payment', async () => {
    till = await liveHarness();
    const invoice = await till.create({ amount: '0.5' });
    await mineOne(till);
    const signed = await signNative(anvil, { from: PAYER, to: invoice.address as Address, value: parseEther('0.5') });
    const paid = await sendRaw(anvil, signed.raw);
    await mine(anvil, 1);
    await till.caughtUp(await headOf(anvil));
    await till.until(invoice.id, (i) => i.status === 'detected', 'detected');

    // The payment's block and the head are replaced at the same heights; the head does not move,
    // so only the idle recheck can see it (anvil pushes the replacement heads).
    const { txHashes } = await reorg(anvil, 2, [{ tx: signed.raw, blockOffset: 1 }]);
    expect(txHashes).toEqual([paid.hash]);
    const moved = await canonicalHash(anvil, paid.blockNumber + 1);
    const again = await till.until(
      invoice.id,
      (i) => i.status === 'detected' && i.payments.some((p) => p.status === 'pending' && p.blockHash === moved),
      'detected again in the new block',
    );
    expect(again.payments).toHaveLength(1);
    expect(till.payments(invoice.id)).toMatchObject([{ txHash: paid.hash, blockHash: moved, status: 'pending' }]);
    expect(till.eventTypes(invoice.id)).toEqual([
      'invoice.created',
      'invoice.payment_received',
      'invoice.detected',
      'invoice.reverted',
      'invoice.payment_received',
      'invoice.detected',
    ]);
    expectOutboxConsistent(till.engine, invoice.id);
  });

  it('a reorg while the subscription is down is not hidden by the headers pushed before it', async () => {
    till = await liveHarness();
    const invoice = await till.create({ amount: '0.5' });
    await mineOne(till);
    const signed = await signNative(anvil, { from: PAYER, to: invoice.address as Address, value: parseEther('0.5') });
    const paid = await sendRaw(anvil, signed.raw);
    await till.caughtUp(paid.blockNumber);
    await till.until(invoice.id, (i) => i.status === 'detected', 'detected');

    // Cut the socket and hold every new one's answers, so the replacement heads are pushed to
    // nobody; then let the engine reconnect. The head height does not change and no block comes
    // after: had the engine kept the header pushed before the drop, its idle recheck would agree
    // with the stale cursor for ever.
    proxy.stallAnswers();
    proxy.dropAll();
    await reorg(anvil, 1);
    await waitFor(() => till!.engine.chainHealth()[0]?.endpoints[0]?.newHeads !== 'live', 'the drop to be seen', 5_000);
    proxy.resume();
    const reverted = await till.until(invoice.id, (i) => i.status === 'pending', 'reverted to pending', 30_000);
    expect(reverted).toMatchObject({ amountReceived: '0', detectedAt: null });
    expect(till.payments(invoice.id)).toMatchObject([{ txHash: paid.hash, status: 'orphaned' }]);
    expect(till.eventTypes(invoice.id)).toEqual([
      'invoice.created',
      'invoice.payment_received',
      'invoice.detected',
      'invoice.reverted',
    ]);
    expectOutboxConsistent(till.engine, invoice.id);
  });
});
