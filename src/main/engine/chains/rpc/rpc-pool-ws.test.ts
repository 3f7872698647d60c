import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startAnvil, type Anvil } from '../../../../../test/fixtures/anvil.ts';
import { waitFor } from '../../../../../test/fixtures/ports.ts';
import { portOf, startTcpProxy, type TcpProxy } from '../../../../../test/fixtures/tcp-proxy.ts';
import { createRpcPool, type RpcPool, type RpcPoolOptions } from './rpc-pool.ts';

/* ws endpoints in the pool, against a real anvil; socket faults from the byte-level proxy (see ws-json-rpc-client.test.ts). */

const logger = pino({ level: 'silent' });
let anvil: Anvil;
let wsUrl: string;
const pools: RpcPool[] = [];
const proxies: TcpProxy[] = [];

function pool(urls: string[], options: Partial<RpcPoolOptions> = {}): RpcPool {
  const created = createRpcPool({ chainId: 31337, urls, logger, timeoutMs: 2_000, ...options });
  pools.push(created);
  return created;
}

interface RpcHeader {
  number: string;
  hash: string;
  parentHash: string;
  timestamp: string;
  transactions: unknown[];
}

async function anvilHead(): Promise<number> {
  return Number(await anvil.rpc<string>('eth_blockNumber'));
}

beforeAll(async () => {
  anvil = await startAnvil();
  wsUrl = anvil.rpcUrl.replace(/^http/, 'ws');
});
afterEach(async () => {
  for (const p of pools.splice(0)) p.close();
  await Promise.all(proxies.splice(0).map((p) => p.close()));
});
afterAll(async () => {
  await anvil?.stop();
});

describe('RPC pool with ws endpoints', () => {
  it('serves requests, batches and logs over a ws endpoint', async () => {
    const rpc = pool([wsUrl]);
    const head = await rpc.refreshHeads();
    expect(head).toBe(await anvilHead());
    expect(await rpc.request('eth_chainId', [])).toBe('0x7a69');
    expect(await rpc.batch([{ method: 'eth_getBlockByNumber', params: ['0x0', false] }])).toMatchObject([{ number: '0x0' }]);
    expect(await rpc.getLogs({ topics: [] }, 0, head)).toEqual([]);
    // Nobody listens for heads: no subscription, and health says nothing about one.
    expect(rpc.health()[0]!.newHeads).toBeUndefined();
  });

  it('newHeads updates the endpoint head, calls the listeners and shows as live', async () => {
    const rpc = pool([wsUrl, anvil.rpcUrl]);
    const heard: { head: number; endpoint: string }[] = [];
    rpc.onNewHead!((head, endpoint) => heard.push({ head, endpoint }));
    await rpc.refreshHeads();
    await waitFor(() => rpc.health()[0]!.newHeads === 'live', 'the ws endpoint to subscribe', 5_000);
    expect(rpc.health()[1]!.newHeads).toBeUndefined();

    await anvil.rpc('evm_mine');
    const mined = await anvilHead();
    await waitFor(() => heard.some((h) => h.head === mined), `block ${mined} to be heard`, 5_000);
    expect(heard.at(-1)).toEqual({ head: mined, endpoint: wsUrl });
    // Only the subscription can have told the pool: nothing called eth_blockNumber since the block.
    expect(rpc.health()[0]!.head).toBe(mined);
    expect(rpc.health()[1]!.head).toBe(mined - 1);
  });

  it('a ws endpoint that does not answer is failed over to the next one and opens its breaker', async () => {
    const proxy = await startTcpProxy(portOf(anvil.rpcUrl));
    proxies.push(proxy);
    // maxCooldownWaitMs 0: a pinned request gives up instead of waiting out the open circuit.
    const rpc = pool([proxy.wsUrl, anvil.rpcUrl], { timeoutMs: 300, maxCooldownWaitMs: 0 });
    proxy.stallAnswers();
    // Neither endpoint has answered yet, so they rank in the order given: the stalled ws one first.
    expect(await rpc.request('eth_chainId', [])).toBe('0x7a69');
    const [ws, http] = rpc.health();
    expect(ws).toMatchObject({ failures: 1, circuit: 'closed' });
    expect(ws!.lastError).toMatch(/^eth_chainId: (no answer within 300 ms|could not open the WebSocket within 300 ms)$/);
    expect(http).toMatchObject({ failures: 0, requests: 1 });
    for (let i = 0; i < 2; i++)
      await expect(rpc.request('eth_chainId', [], { endpoint: proxy.wsUrl })).rejects.toMatchObject({
        code: 'CHAIN_RPC_UNAVAILABLE',
      });
    expect(rpc.health()[0]).toMatchObject({ circuit: 'open' });
    expect(await rpc.request('eth_blockNumber', [])).toMatch(/^0x/);
  });

  it('keeps the headers newHeads pushes, as eth_getBlockByNumber gives them, for that endpoint only', async () => {
    const rpc = pool([wsUrl, anvil.rpcUrl]);
    rpc.onNewHead!(() => undefined);
    await rpc.refreshHeads();
    await waitFor(() => rpc.health()[0]!.newHeads === 'live', 'the subscription', 5_000);
    // Blocks with a transaction in each (anvil mines one per transaction), so "no transaction list" is the header's doing.
    const [from, to] = await anvil.rpc<string[]>('eth_accounts');
    const mined: number[] = [];
    for (let i = 0; i < 3; i++) {
      const hash = await anvil.rpc<string>('eth_sendTransaction', [{ from, to, value: '0x1' }]);
      // The block the receipt names (anvil may answer before its head has moved under load).
      const receipt = await waitFor(
        async () => (await anvil.rpc<{ blockNumber: string } | null>('eth_getTransactionReceipt', [hash])) ?? undefined,
        'the receipt',
        5_000,
      );
      mined.push(Number(receipt.blockNumber));
    }
    await waitFor(() => rpc.pushedHeader!(wsUrl, mined.at(-1)!) !== undefined, 'the last block to be pushed', 5_000);
    for (const n of mined) {
      const read = await anvil.rpc<RpcHeader>('eth_getBlockByNumber', [`0x${n.toString(16)}`, false]);
      expect(read.transactions.length).toBeGreaterThan(0);
      expect(rpc.pushedHeader!(wsUrl, n)).toEqual({
        number: read.number,
        hash: read.hash.toLowerCase(),
        parentHash: read.parentHash.toLowerCase(),
        timestamp: read.timestamp,
        transactions: [],
      });
    }
    // Nothing was pushed by the HTTP endpoint, and nothing above the head.
    expect(rpc.pushedHeader!(anvil.rpcUrl, mined.at(-1)!)).toBeUndefined();
    expect(rpc.pushedHeader!(wsUrl, mined.at(-1)! + 1)).toBeUndefined();
  });

  it('a rollback, which no node notifies, drops the pushed heights above the head eth_blockNumber reports', async () => {
    const rpc = pool([wsUrl]);
    rpc.onNewHead!(() => undefined);
    await rpc.refreshHeads();
    await waitFor(() => rpc.health()[0]!.newHeads === 'live', 'the subscription', 5_000);
    await anvil.rpc('evm_mine');
    await anvil.rpc('evm_mine');
    const top = await anvilHead();
    await waitFor(() => rpc.pushedHeader!(wsUrl, top) !== undefined, `block ${top} to be pushed`, 5_000);
    await anvil.rpc('anvil_rollback', [1]);
    expect(await rpc.refreshHeads()).toBe(top - 1);
    expect(rpc.pushedHeader!(wsUrl, top)).toBeUndefined();
    expect(rpc.pushedHeader!(wsUrl, top - 1)).toBeDefined();
  });

  it('forgets the pushed headers when the socket drops, and keeps new ones once live again', async () => {
    const proxy = await startTcpProxy(portOf(anvil.rpcUrl));
    proxies.push(proxy);
    const rpc = pool([proxy.wsUrl]);
    rpc.onNewHead!(() => undefined);
    await rpc.refreshHeads();
    await waitFor(() => rpc.health()[0]!.newHeads === 'live', 'the subscription', 5_000);
    await anvil.rpc('evm_mine');
    const before = await anvilHead();
    await waitFor(() => rpc.pushedHeader!(proxy.wsUrl, before) !== undefined, `block ${before} to be pushed`, 5_000);

    proxy.dropAll();
    await waitFor(() => rpc.health()[0]!.newHeads !== 'live', 'the subscription to notice the drop', 5_000);
    // Whatever happened on the chain while nobody listened, these may no longer be its blocks.
    expect(rpc.pushedHeader!(proxy.wsUrl, before)).toBeUndefined();
    await waitFor(() => rpc.health()[0]!.newHeads === 'live', 'a new subscription', 10_000);
    expect(rpc.pushedHeader!(proxy.wsUrl, before)).toBeUndefined();
    await anvil.rpc('evm_mine');
    const after = await anvilHead();
    await waitFor(() => rpc.pushedHeader!(proxy.wsUrl, after) !== undefined, `block ${after} after the reconnect`, 5_000);
    expect(rpc.pushedHeader!(proxy.wsUrl, before)).toBeUndefined();
  });

  it('a subscription is made again after the socket drops, and close releases the socket', async () => {
    const proxy = await startTcpProxy(portOf(anvil.rpcUrl));
    proxies.push(proxy);
    const rpc = pool([proxy.wsUrl]);
    const heard: number[] = [];
    rpc.onNewHead!((head) => heard.push(head));
    await rpc.refreshHeads();
    await waitFor(() => rpc.health()[0]!.newHeads === 'live', 'the subscription', 5_000);
    proxy.dropAll();
    await waitFor(() => proxy.accepted() === 2 && rpc.health()[0]!.newHeads === 'live', 'a new subscription', 10_000);
    await anvil.rpc('evm_mine');
    const mined = await anvilHead();
    await waitFor(() => heard.includes(mined), `block ${mined} after the reconnect`, 5_000);
    rpc.close();
    await waitFor(() => proxy.open() === 0, 'the socket to close', 5_000);
  });
});
