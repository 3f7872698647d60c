import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseEther, type Address, type Hex } from 'viem';
import { startAnvil, type Anvil } from './fixtures/anvil.ts';
import {
  anvilAccounts,
  deployForwarder,
  forwardNative,
  installMulticall3,
  mine,
  deployTestToken,
  nativeBalance,
  reorg,
  revert,
  sendNative,
  setAutomine,
  snapshot,
  transferToken,
} from './fixtures/chain-actions.ts';
import { sendRaw, signNative, startHarness, type Harness } from './fixtures/detection-harness.ts';
import { useNativeDetection } from './fixtures/native-detection.ts';
import { startRpcProxy, type RpcProxy } from './fixtures/rpc-proxy.ts';

const CONFIRMATIONS = 3;
/** Anvil account (by index) that signs the payment the reorg test re-includes. */
const PAYER = 5;

/**
 * Balance-first native detection against a real anvil behind a counting proxy: payments made
 * while the scanner is paused are found only from balances (digests) and then either the call
 * traces (anvil offers trace_filter) or, with the proxy refusing trace_filter as geth would,
 * bisection on historical balances and the bodies of the blocks where a balance changed.
 */
describe.each([
  ['call traces (trace_filter)', false],
  ['bisection and block bodies (no trace_filter)', true],
] as const)('balance-first native detection, changes located by %s', (_, noTraces) => {
  let anvil: Anvil;
  let proxy: RpcProxy;
  let till: Harness;
  let clean: Hex;
  let payer: Address;
  let usdc: Address;

  beforeAll(async () => {
    anvil = await startAnvil();
    proxy = await startRpcProxy(anvil.rpcUrl);
    await installMulticall3(anvil);
    payer = (await anvilAccounts(anvil))[0]!;
    usdc = await deployTestToken(anvil, { name: 'USD Coin', symbol: 'USDC', decimals: 6 });
    await mine(anvil, 1);
  });
  afterAll(async () => {
    await proxy?.close();
    await anvil?.stop();
  });
  beforeEach(async () => {
    clean = await snapshot(anvil);
    proxy.reset();
    if (noTraces) proxy.faults.refuseMethods = ['trace_filter'];
    till = await startHarness(anvil, {
      rpcUrls: [proxy.url],
      confirmations: CONFIRMATIONS,
      tokens: [{ symbol: 'USDC', address: usdc, decimals: 6 }],
    });
  });
  afterEach(async () => {
    await till?.close();
    useNativeDetection('balances');
    await revert(anvil, clean);
  });

  const chainId = () => till.chainId;
  const pause = () => till.engine.invoke('chains.pause', { chainId: chainId() });
  const resume = () => till.engine.invoke('chains.resume', { chainId: chainId() });
  const status = async () => (await till.engine.invoke('chains.health', {})).find((c) => c.chainId === chainId())!;
  const blockOf = async (hash: Hex) =>
    Number(BigInt((await anvil.rpc<{ blockNumber: string }>('eth_getTransactionReceipt', [hash])).blockNumber));
  /** eth_getBlockByNumber calls, headers and bodies. */
  const blockReads = () => proxy.counts()['eth_getBlockByNumber'] ?? 0;

  it('two payments to one address between two polls: both found, each once, in their blocks', async () => {
    const invoice = await till.create({ amount: '0.5' });
    await till.caughtUp();
    await pause();
    // 400 blocks: more than the 300 anvil allows one trace_filter call, so the span is learned.
    const first = await sendNative(anvil, { from: payer, to: invoice.address as Address, value: parseEther('0.3') });
    await mine(anvil, 200);
    const second = await sendNative(anvil, { from: payer, to: invoice.address as Address, value: parseEther('0.2') });
    await mine(anvil, 200);
    proxy.reset();
    if (noTraces) proxy.faults.refuseMethods = ['trace_filter'];
    await resume();
    const paid = await till.until(invoice.id, (i) => i.amountReceived === '0.5', 'both payments');
    expect(paid.payments.map((p) => p.txHash).sort()).toEqual([first, second].sort());
    const rows = till.payments(invoice.id);
    expect(rows.map((r) => r.blockNumber)).toEqual([await blockOf(first), await blockOf(second)]);
    expect((await status()).nativeDetectionStatus).toMatchObject({ mode: 'balances', balanceReads: 'override' });
    expect((await status()).nativeDetectionStatus?.reason).toContain(noTraces ? 'only the blocks where' : 'trace_filter');
    // Located by traces, no body is read; by bisection, the two blocks' bodies.
    if (noTraces) expect(proxy.counts()['trace_filter']).toBe(1);
    else expect(proxy.counts()['trace_filter']).toBeGreaterThanOrEqual(3);
    // 402 blocks were scanned: the step's ends, the reorg window and the two blocks were read, not 402.
    expect(blockReads()).toBeLessThan(100);
    expect(proxy.counts()['eth_call']).toBeGreaterThan(0);
    // Quiet steps with an invoice still open keep the reason: how a change is located has not changed.
    await till.create({ amount: '1' });
    const head = Number(await mine(anvil, 3));
    await till.caughtUp(head);
    expect((await status()).nativeDetectionStatus?.reason).toContain(noTraces ? 'only the blocks where' : 'trace_filter');
  });

  it('a native and an ERC-20 payment in one block: both found, and that block is read once with traces', async () => {
    const native = await till.create({ amount: '0.25' });
    const token = await till.create({ amount: '12', token: 'USDC' });
    await till.caughtUp();
    await pause();
    await setAutomine(anvil, false);
    try {
      await sendNative(anvil, { from: payer, to: native.address as Address, value: parseEther('0.25') });
      await transferToken(anvil, { token: usdc, from: payer, to: token.address as Address, amount: 12_000_000n });
      await mine(anvil, 1);
    } finally {
      await setAutomine(anvil, true);
    }
    const block = Number(await mine(anvil, 20)) - 20;
    proxy.reset();
    if (noTraces) proxy.faults.refuseMethods = ['trace_filter'];
    await resume();
    await till.until(native.id, (i) => i.amountReceived === '0.25', 'the native payment');
    await till.until(token.id, (i) => i.amountReceived === '12', 'the token payment');
    expect([...till.payments(native.id), ...till.payments(token.id)].map((p) => p.blockNumber)).toEqual([block, block]);
    // The ERC-20 side reads the block's header for its log; the traces' payment in it needs no
    // second read. Without traces its body is read (bisection), alongside the header.
    expect(proxy.blockReads().get(block)).toBe(noTraces ? 2 : 1);
  });

  // eth_getHeaderByNumber as geth and reth serve it, emulated by the proxy (anvil lacks it);
  // ots_getBlockDetails as anvil itself serves it (and Erigon, reth), with the method the
  // endpoint prefers refused so that it is the one used.
  for (const method of ['eth_getHeaderByNumber', 'ots_getBlockDetails'] as const)
    it(`an endpoint that serves ${method}: the head is tracked without reading a block, and a payment is found`, async () => {
      await till.close();
      const faults = () => {
        proxy.reset();
        proxy.faults.refuseMethods = noTraces ? ['trace_filter'] : [];
        if (method === 'eth_getHeaderByNumber') proxy.faults.headerMethod = true;
      };
      faults();
      till = await startHarness(anvil, { rpcUrls: [proxy.url], confirmations: CONFIRMATIONS });
      const invoice = await till.create({ amount: '0.1' });
      await till.caughtUp();
      faults();
      for (let i = 0; i < 5; i++) await till.caughtUp(Number(await mine(anvil, 1)));
      // Each new block's header came without its transaction hashes; no block was read.
      expect(proxy.counts()['eth_getBlockByNumber'] ?? 0).toBe(0);
      expect(proxy.counts()[method]).toBeGreaterThanOrEqual(5);
      const hash = await sendNative(anvil, { from: payer, to: invoice.address as Address, value: parseEther('0.1') });
      await till.until(invoice.id, (i) => i.amountReceived === '0.1', 'the payment');
      const block = await blockOf(hash);
      const canonical = await anvil.rpc<{ hash: string; timestamp: string }>('eth_getBlockByNumber', [
        `0x${block.toString(16)}`,
        false,
      ]);
      expect(till.payments(invoice.id)).toMatchObject([{ txHash: hash, blockNumber: block, blockHash: canonical.hash }]);
      const { block_time } = till.engine.store.db
        .prepare('SELECT block_time FROM payments WHERE invoice_id = ?')
        .get(invoice.id) as { block_time: string };
      expect(Date.parse(block_time) / 1000).toBe(Number(BigInt(canonical.timestamp)));
      // With traces the payment needs no block body either; by bisection its body is read, nothing else.
      expect(proxy.counts()['eth_getBlockByNumber'] ?? 0).toBe(noTraces ? 1 : 0);
    });

  it('a payment and an outgoing transfer of the same address between two polls: the payment counts once, nothing is raised', async () => {
    const invoice = await till.create({ amount: '1' });
    const deposit = invoice.address as Address;
    await till.caughtUp();
    await pause();
    const paid = await sendNative(anvil, { from: payer, to: deposit, value: parseEther('1') });
    await mine(anvil, 10);
    // The deposit address spends (as a sweep would): its balance falls between the two polls.
    await anvil.rpc('anvil_impersonateAccount', [deposit]);
    await sendNative(anvil, { from: deposit, to: payer, value: parseEther('0.4') });
    await anvil.rpc('anvil_stopImpersonatingAccount', [deposit]);
    await mine(anvil, 10);
    await resume();
    const done = await till.until(invoice.id, (i) => i.status === 'confirmed', 'confirmed');
    expect(done).toMatchObject({ amountReceived: '1', payments: [{ txHash: paid }] });
    expect(till.payments(invoice.id)).toHaveLength(1);
    expect(await till.alerts('internal_transfer')).toEqual([]);
    // The stored balance is the address's balance at the cursor, after the outgoing transfer.
    const row = till.engine.store.db
      .prepare('SELECT balance FROM native_balances WHERE chain_id = ? AND address = ?')
      .get(chainId(), deposit.toLowerCase()) as { balance: string };
    expect(BigInt(row.balance)).toBe(await nativeBalance(anvil, deposit));
    expect(BigInt(row.balance)).toBeLessThan(parseEther('0.6'));
  });

  it('native coin sent by a contract is raised as an internal transfer, with its block, and not counted', async () => {
    const forwarder = await deployForwarder(anvil);
    const invoice = await till.create({ amount: '0.3' });
    await till.caughtUp();
    await pause();
    const tx = await forwardNative(anvil, { forwarder, to: invoice.address as Address, value: parseEther('0.3') });
    await mine(anvil, 20);
    await resume();
    const alert = await till.waitForAlert(
      (a) => a.type === 'internal_transfer' && a.invoiceId === invoice.id,
      'an internal_transfer alert',
    );
    expect(alert.details).toMatchObject({
      extra: parseEther('0.3').toString(),
      recorded: '0',
      block: await blockOf(tx),
    });
    expect(alert.message).toContain(`in block ${await blockOf(tx)}`);
    expect(await till.invoice(invoice.id)).toMatchObject({ status: 'pending', amountReceived: '0' });
  });

  it('an endpoint without historical state: block bodies are read instead, the payment is found, health says why', async () => {
    const invoice = await till.create({ amount: '0.25' });
    await till.caughtUp();
    await pause();
    proxy.faults.stateWindow = 4;
    const tx = await sendNative(anvil, { from: payer, to: invoice.address as Address, value: parseEther('0.25') });
    await mine(anvil, 30);
    await resume();
    const paid = await till.until(invoice.id, (i) => i.amountReceived === '0.25', 'paid');
    expect(paid.payments.map((p) => p.txHash)).toEqual([tx]);
    expect(till.payments(invoice.id)).toHaveLength(1);
    const health = await status();
    expect(health.nativeDetectionStatus?.mode).toBe('blocks');
    expect(health.nativeDetectionStatus?.reason).toMatch(/keeps no state for block \d+ \(pruned history/);
  });

  it('a reorg that moves a located payment to another block: the payment follows it, once', async () => {
    const invoice = await till.create({ amount: '0.5' });
    await till.caughtUp();
    await pause();
    const signed = await signNative(anvil, { from: PAYER, to: invoice.address as Address, value: parseEther('0.5') });
    await sendRaw(anvil, signed.raw);
    await mine(anvil, 1);
    await resume();
    await till.until(invoice.id, (i) => i.status === 'detected', 'detected');
    const before = till.payments(invoice.id);
    expect(before).toHaveLength(1);
    // The block holding the payment and the one after it are replaced; the tx lands one block later.
    await reorg(anvil, 2, [{ tx: signed.raw, blockOffset: 1 }]);
    await mine(anvil, CONFIRMATIONS);
    const moved = await till.until(
      invoice.id,
      (i) => i.status === 'confirmed' && i.payments.some((p) => p.blockNumber === before[0]!.blockNumber + 1),
      'confirmed in the new block',
    );
    expect(moved.payments.filter((p) => p.status !== 'orphaned')).toHaveLength(1);
    // Same transaction, so the one payment row moves to the new block (as in reorg-detection.test.ts).
    expect(till.payments(invoice.id).map((p) => [p.blockNumber, p.status])).toEqual([[before[0]!.blockNumber + 1, 'confirmed']]);
  });

  it('auto picks balance-first on an endpoint that runs the state override', async () => {
    await till.close();
    useNativeDetection('auto');
    till = await startHarness(anvil, { rpcUrls: [proxy.url], confirmations: CONFIRMATIONS });
    const invoice = await till.create({ amount: '0.1' });
    await sendNative(anvil, { from: payer, to: invoice.address as Address, value: parseEther('0.1') });
    await mine(anvil, 1);
    await till.until(invoice.id, (i) => i.amountReceived === '0.1', 'paid');
    const health = await status();
    expect(health.nativeDetection).toBe('auto');
    expect(health.nativeDetectionStatus).toMatchObject({ mode: 'balances', balanceReads: 'override' });
  });
});
