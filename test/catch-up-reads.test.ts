import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseEther, type Address, type Hex } from 'viem';
import { startAnvil, type Anvil } from './fixtures/anvil.ts';
import {
  anvilAccounts,
  deployTestToken,
  installMulticall3,
  mine,
  reorg,
  sendNative,
  setAutomine,
  transferToken,
} from './fixtures/chain-actions.ts';
import { startHarness, type Harness } from './fixtures/detection-harness.ts';
import { startRpcProxy, type RpcProxy } from './fixtures/rpc-proxy.ts';

/**
 * How a catch-up checks and dates the blocks holding payments below the reorg window (issue 11):
 * where the logs carry their block's time (anvil, geth ≥ 1.16, reth) and the endpoint runs
 * BlockHashes through the state override, such a block's header is not read; its hash comes from
 * one eth_call at the step's last block (BLOCKHASH for 256 blocks, the EIP-2935 history for
 * 8,191 since Prague) and must match the log's. Real anvil behind the counting proxy, in Prague
 * and in Cancun (no history contract: the older blocks' headers are read as before).
 */
describe.each(['prague', 'cancun'])('a catch-up over payments older than the reorg window (anvil, %s)', (hardfork) => {
  let anvil: Anvil;
  let proxy: RpcProxy;
  let till: Harness | undefined;
  let payer: Address;
  let usdc: Address;

  beforeAll(async () => {
    anvil = await startAnvil({ hardfork });
    proxy = await startRpcProxy(anvil.rpcUrl);
    await installMulticall3(anvil);
    payer = (await anvilAccounts(anvil))[0]!;
    usdc = await deployTestToken(anvil, { name: 'USD Coin', symbol: 'USDC', decimals: 6 });
    await mine(anvil, 1);
  });
  afterEach(async () => {
    await till?.close();
    till = undefined;
  });
  afterAll(async () => {
    await proxy?.close();
    await anvil?.stop();
  });

  const blockOf = async (hash: Hex) =>
    Number(BigInt((await anvil.rpc<{ blockNumber: string }>('eth_getTransactionReceipt', [hash])).blockNumber));
  const blockAt = (n: number) =>
    anvil.rpc<{ hash: string; timestamp: string }>('eth_getBlockByNumber', [`0x${n.toString(16)}`, false]);

  it('each payment is found in its block with its time and hash; only the blocks out of reach, or without a log, have their header read', async () => {
    till = await startHarness(anvil, {
      rpcUrls: [proxy.url],
      confirmations: 2,
      tokens: [{ symbol: 'USDC', address: usdc, decimals: 6 }],
    });
    const harness = till;
    const chainId = harness.chainId;
    const tokens = [];
    for (let i = 0; i < 3; i++) tokens.push(await harness.create({ amount: '5', token: 'USDC' }));
    const natives = [await harness.create({ amount: '0.1' }), await harness.create({ amount: '0.2' })];
    await harness.caughtUp();
    await harness.engine.invoke('chains.pause', { chainId });

    const sent: Hex[] = [];
    sent.push(await transferToken(anvil, { token: usdc, from: payer, to: tokens[0]!.address as Address, amount: 5_000_000n }));
    await mine(anvil, 150);
    // A native and an ERC-20 payment in one block: the log's time serves the trace's block too.
    await setAutomine(anvil, false);
    try {
      sent.push(await sendNative(anvil, { from: payer, to: natives[0]!.address as Address, value: parseEther('0.1') }));
      sent.push(await transferToken(anvil, { token: usdc, from: payer, to: tokens[1]!.address as Address, amount: 5_000_000n }));
      await mine(anvil, 1);
    } finally {
      await setAutomine(anvil, true);
    }
    await mine(anvil, 50);
    // A native payment alone in its block: no log dates it, so its header is read.
    sent.push(await sendNative(anvil, { from: payer, to: natives[1]!.address as Address, value: parseEther('0.2') }));
    await mine(anvil, 50);
    sent.push(await transferToken(anvil, { token: usdc, from: payer, to: tokens[2]!.address as Address, amount: 5_000_000n }));
    const head = Number(await mine(anvil, 100));

    proxy.reset();
    await harness.engine.invoke('chains.resume', { chainId });
    for (const invoice of tokens) await harness.until(invoice.id, (i) => i.amountReceived === '5', 'the token payment');
    await harness.until(natives[0]!.id, (i) => i.amountReceived === '0.1', 'the first native payment');
    await harness.until(natives[1]!.id, (i) => i.amountReceived === '0.2', 'the second native payment');
    await harness.caughtUp(head);

    const blocks = await Promise.all(sent.map(blockOf));
    const rows = harness.engine.store.db
      .prepare('SELECT tx_hash, block_number, block_hash, block_time FROM payments WHERE chain_id = ? ORDER BY block_number')
      .all(chainId) as { tx_hash: string; block_number: number; block_hash: string; block_time: string }[];
    expect(rows.map((r) => r.tx_hash).sort()).toEqual(sent.map((h) => h.toLowerCase()).sort());
    for (const row of rows) {
      const canonical = await blockAt(row.block_number);
      expect(row.block_hash).toBe(canonical.hash);
      expect(Date.parse(row.block_time) / 1000).toBe(Number(BigInt(canonical.timestamp)));
    }

    // One step from the paused cursor to the head: its last block is `head`.
    const [first, shared, alone, last] = [blocks[0]!, blocks[1]!, blocks[3]!, blocks[4]!];
    expect(blocks[2]).toBe(shared);
    expect(head - first).toBeGreaterThan(256);
    expect(head - shared).toBeLessThan(256);
    expect(head - last).toBeGreaterThan(64);
    const reads = proxy.blockReads();
    expect(reads.get(shared) ?? 0).toBe(0);
    expect(reads.get(last) ?? 0).toBe(0);
    expect(reads.get(alone)).toBe(1);
    // Beyond BLOCKHASH's 256 only the history contract reaches.
    expect(reads.get(first) ?? 0).toBe(hardfork === 'prague' ? 0 : 1);
    expect(proxy.counts()['eth_call']).toBeGreaterThan(0);

    // The reorg window: every block's hash is stored, but only the newest ten were read (for
    // their times: the chain's block time); the rest came with the same call.
    const window = harness.engine.store.recentBlocks.atOrBelow(chainId, head, 1_000);
    expect(window.map((b) => b.number)).toEqual(Array.from({ length: 64 }, (_, i) => head - i));
    for (const stored of window) {
      const canonical = await blockAt(stored.number);
      expect(stored.hash).toBe(canonical.hash);
      expect(stored.time === null).toBe(stored.number < head - 9);
    }
    expect([...reads.keys()].filter((n) => n > head - 64 && n < head - 9)).toEqual([]);
    expect(harness.engine.store.recentBlocks.medianBlockTimeMs(chainId)).not.toBeNull();

    // A reorg reaching into the blocks known by hash alone finds its common ancestor among them.
    await harness.engine.invoke('chains.pause', { chainId });
    await reorg(anvil, 30);
    const newHead = Number(await mine(anvil, 2));
    await harness.engine.invoke('chains.resume', { chainId });
    await harness.caughtUp(newHead);
    const after = harness.engine.store.recentBlocks.atOrBelow(chainId, newHead, 1_000);
    for (const stored of after) expect(stored.hash).toBe((await blockAt(stored.number)).hash);
    expect(await harness.alerts('deep_reorg')).toEqual([]);
    expect(harness.payments().map((p) => p.status)).not.toContain('orphaned');
  });
});
