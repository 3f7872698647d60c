import pino from 'pino';
import { numberToHex, padHex, type Hex } from 'viem';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startAnvil, type Anvil } from '../../../../../test/fixtures/anvil.ts';
import { waitFor } from '../../../../../test/fixtures/ports.ts';
import { startRpcProxy, type RpcProxy } from '../../../../../test/fixtures/rpc-proxy.ts';
import { TillError } from '../../lib/errors.ts';
import { createRpcPool, type RpcPoolOptions } from './rpc-pool.ts';

const logger = pino({ level: 'silent' });
const SENDER = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
/**
 * A contract whose every call emits LOG1 with the first 32 bytes of calldata as the topic.
 * Runtime (9 bytes): PUSH1 0 CALLDATALOAD (topic) · PUSH1 0 (size) · PUSH1 0 (offset) · LOG1 · STOP
 *   = 60 00 35 60 00 60 00 a1 00
 * Init (12 bytes): PUSH1 9 (size) · PUSH1 12 (code offset) · PUSH1 0 (memory) · CODECOPY ·
 *   PUSH1 9 · PUSH1 0 · RETURN = 60 09 60 0c 60 00 39 60 09 60 00 f3
 */
const EMITTER_INIT_CODE = '0x6009600c60003960096000f3600035600060 00a100'.replace(/ /g, '');

function fakeClock(start = Date.parse('2030-01-01T00:00:00Z')) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

let anvil: Anvil;
let emitter: Hex;
let head: number;
const proxies: RpcProxy[] = [];
const pools: { close(): void }[] = [];

async function proxy(): Promise<RpcProxy> {
  const started = await startRpcProxy(anvil.rpcUrl);
  proxies.push(started);
  return started;
}

function pool(urls: string[], options: Partial<RpcPoolOptions> = {}) {
  const created = createRpcPool({ chainId: 31337, urls, logger, timeoutMs: 2_000, ...options });
  pools.push(created);
  return created;
}

interface Receipt {
  contractAddress: Hex | null;
  blockNumber: Hex;
}

async function send(tx: { to?: Hex; data: Hex }): Promise<Receipt> {
  const hash = await anvil.rpc<Hex>('eth_sendTransaction', [{ from: SENDER, ...tx }]);
  const receipt = await waitFor(() => anvil.rpc<Receipt | null>('eth_getTransactionReceipt', [hash]), `receipt of ${hash}`);
  return receipt!;
}

beforeAll(async () => {
  anvil = await startAnvil();
  emitter = (await send({ data: EMITTER_INIT_CODE as Hex })).contractAddress!;
  // Twelve logs spread over ~5,000 blocks, two of them in the same block's neighbourhood.
  for (let i = 1; i <= 12; i++) {
    await send({ to: emitter, data: padHex(numberToHex(i)) });
    await anvil.rpc('anvil_mine', [numberToHex(i === 6 ? 1 : 420)]);
  }
  await anvil.rpc('anvil_mine', [numberToHex(5_100 - Number(await anvil.rpc<Hex>('eth_blockNumber')))]);
  head = Number(await anvil.rpc<Hex>('eth_blockNumber'));
});

afterEach(async () => {
  for (const p of pools.splice(0)) p.close();
  await Promise.all(proxies.splice(0).map((p) => p.close()));
});

afterAll(async () => {
  await anvil?.stop();
});

describe('createRpcPool', () => {
  it('failover: answers from the second endpoint when the first returns HTTP 500', async () => {
    const [a, b] = [await proxy(), await proxy()];
    a.faults.status = 500;
    const rpc = pool([a.url, b.url]);
    expect(Number(await rpc.request<Hex>('eth_blockNumber', []))).toBe(head);
    const [healthA, healthB] = rpc.health();
    expect(a.counts().eth_chainId).toBe(1);
    expect(healthA).toMatchObject({ failures: 1, errorRate: 1, circuit: 'closed' });
    expect(healthA!.lastError).toContain('HTTP 500');
    expect(healthB).toMatchObject({ failures: 0, head });
  });

  it('failover: a hanging endpoint times out and the next one answers', async () => {
    const [a, b] = [await proxy(), await proxy()];
    a.faults.hang = true;
    const rpc = pool([a.url, b.url], { timeoutMs: 300 });
    expect(Number(await rpc.request<Hex>('eth_blockNumber', []))).toBe(head);
    expect(rpc.health()[0]!.lastError).toBe('eth_chainId: no answer within 300 ms');
  });

  it('failover: a truncated JSON body is retried elsewhere', async () => {
    const [a, b] = [await proxy(), await proxy()];
    a.faults.truncate = true;
    const rpc = pool([a.url, b.url]);
    const block = await rpc.request<{ number: Hex }>('eth_getBlockByNumber', [numberToHex(head), false]);
    expect(Number(block.number)).toBe(head);
    expect(rpc.health()[0]!.lastError).toMatch(/^eth_chainId: the answer is not valid JSON/);
  });

  it('429 with Retry-After: the endpoint gets no request until the cooldown has passed', async () => {
    const clock = fakeClock();
    const [a, b] = [await proxy(), await proxy()];
    a.faults.rateLimit = { retryAfterSeconds: 30, times: 1 };
    const rpc = pool([a.url, b.url], { clock });
    for (let i = 0; i < 5; i++) await rpc.request('eth_blockNumber', []);
    expect(a.counts()).toEqual({ eth_chainId: 1 });
    expect(rpc.health()[0]).toMatchObject({ cooldownUntil: '2030-01-01T00:00:30.000Z', circuit: 'closed' });
    expect(rpc.health()[0]!.lastError).toContain('rate limited (HTTP 429, retry after 30 s)');

    clock.advance(29_000);
    b.faults.status = 503;
    await expect(rpc.request('eth_blockNumber', [], { signal: AbortSignal.timeout(5_000) })).rejects.toThrow();
    expect(a.counts()).toEqual({ eth_chainId: 1 });

    clock.advance(1_000);
    expect(Number(await rpc.request<Hex>('eth_blockNumber', []))).toBe(head);
    expect(a.counts()).toEqual({ eth_chainId: 2, eth_blockNumber: 1 });
  });

  it('circuit breaker: opens after 5 failures, half-opens after 15 s, re-opens for 30 s, closes on a good probe', async () => {
    const clock = fakeClock();
    const a = await proxy();
    a.faults.status = 500;
    const rpc = pool([a.url], { clock, maxRounds: 1 });
    for (let i = 0; i < 5; i++) await expect(rpc.request('eth_chainId', [])).rejects.toThrow(TillError);
    expect(rpc.health()[0]).toMatchObject({ circuit: 'open', failures: 5, cooldownUntil: '2030-01-01T00:00:15.000Z' });

    await expect(rpc.request('eth_chainId', [])).rejects.toThrow(/circuit open until 2030-01-01T00:00:15.000Z/);
    expect(a.counts().eth_chainId).toBe(5);

    clock.advance(15_000);
    expect(rpc.health()[0]!.circuit).toBe('half-open');
    await expect(rpc.request('eth_chainId', [])).rejects.toThrow(TillError);
    expect(rpc.health()[0]).toMatchObject({ circuit: 'open', failures: 6, cooldownUntil: '2030-01-01T00:00:45.000Z' });

    clock.advance(30_000);
    a.reset();
    expect(await rpc.request('eth_chainId', [])).toBe('0x7a69');
    expect(rpc.health()[0]).toMatchObject({ circuit: 'closed', cooldownUntil: null });
  });

  it('a lagging endpoint is flagged and never answers a request that needs a newer block', async () => {
    const [a, b] = [await proxy(), await proxy()];
    a.faults.lagBlocks = 20;
    const rpc = pool([a.url, b.url]);
    expect(await rpc.refreshHeads()).toBe(head);
    expect(rpc.health().map((h) => [h.head, h.lagging])).toEqual([
      [head - 20, true],
      [head, false],
    ]);
    expect(rpc.endpointsAt(head)).toEqual([b.url]);
    expect(rpc.endpointsAt(head - 20)).toEqual([b.url, a.url]);
    b.faults.delayMs = 50; // even when the lagging one is faster
    for (let i = 0; i < 5; i++) {
      const block = await rpc.request<{ number: Hex } | null>('eth_getBlockByNumber', [numberToHex(head), false], {
        atLeastBlock: head,
      });
      expect(Number(block!.number)).toBe(head);
    }
    expect(a.counts().eth_getBlockByNumber ?? 0).toBe(0);
  });

  it('a null block from an endpoint whose head is past it is retried on another endpoint', async () => {
    const [a, b] = [await proxy(), await proxy()];
    b.faults.delayMs = 50; // so the first endpoint ranks first
    const rpc = pool([a.url, b.url]);
    await rpc.refreshHeads();
    a.faults.lagBlocks = 20; // a load-balanced provider that now routes to a stale backend
    const block = await rpc.request<{ number: Hex } | null>('eth_getBlockByNumber', [numberToHex(head), false]);
    expect(Number(block!.number)).toBe(head);
    expect(a.counts().eth_getBlockByNumber).toBe(1);
    expect(rpc.health()[0]!.lastError).toBe(`eth_getBlockByNumber: no block ${head} although the endpoint reported head ${head}`);
  });

  it('getLogs: chunks 5,000 blocks under a 1,000-block cap, returns exactly what the node has, and remembers the span', async () => {
    const a = await proxy();
    a.faults.maxLogRange = {
      blocks: 1_000,
      code: -32602,
      message:
        'Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range and no limit on the response size, or you can request any block range with a cap of 10K logs in the response. Based on your parameters, this block range should work: [0x1, 0x3e8]',
    };
    const rpc = pool([a.url]);
    const expected = await anvil.rpc<{ blockNumber: Hex; logIndex: Hex; transactionHash: Hex; topics: Hex[] }[]>('eth_getLogs', [
      { address: emitter, fromBlock: '0x1', toBlock: numberToHex(5_000) },
    ]);
    expect(expected).toHaveLength(12);
    const logs = await rpc.getLogs({ address: emitter, topics: [] }, 1, 5_000);
    expect(logs.map((l) => [Number(l.blockNumber), l.logIndex, l.transactionHash, l.topics[0]])).toEqual(
      expected.map((l) => [Number(l.blockNumber), Number(l.logIndex), l.transactionHash, l.topics[0]]),
    );
    expect(logs.every((l) => l.blockHash !== null)).toBe(true);
    // 1,000 accepted → 2,000 refused → 1,000 × 4.
    expect(a.counts().eth_getLogs).toBe(6);
    expect(rpc.health()[0]!.maxLogRange).toBe(1_000);

    a.reset();
    await rpc.getLogs({ address: emitter, topics: [] }, 1, 5_000);
    expect(a.counts().eth_getLogs).toBe(5);
  });

  it('getLogs: filters by topic and returns logs sorted', async () => {
    const rpc = pool([(await proxy()).url]);
    const topics = [[padHex('0x3'), padHex('0x9')]];
    const logs = await rpc.getLogs({ address: [emitter], topics }, 0, head);
    expect(logs.map((l) => l.topics[0])).toEqual([padHex('0x3'), padHex('0x9')]);
  });

  it('all endpoints down: CHAIN_RPC_UNAVAILABLE names the chain and each endpoint’s last error', async () => {
    const [a, b] = [await proxy(), await proxy()];
    a.faults.status = 500;
    b.faults.status = 503;
    const rpc = pool([a.url, b.url], { maxRounds: 2 });
    const error = await rpc.request('eth_blockNumber', []).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TillError);
    expect((error as TillError).code).toBe('CHAIN_RPC_UNAVAILABLE');
    expect((error as TillError).message).toBe(
      `No RPC endpoint of chain 31337 answered eth_blockNumber (2 rounds): ${a.url} — eth_chainId: HTTP 500 Internal Server Error; ${b.url} — eth_chainId: HTTP 503 Service Unavailable.`,
    );
  });

  it('health(): latency, error rate, circuit, last error and lag, with the API key masked', async () => {
    const a = await proxy();
    const key = 'aBcD3fGh1jKlMnOpQrStUvWxYz012345';
    const rpc = pool([`${a.url}/v2/${key}`]);
    await rpc.refreshHeads();
    a.faults.failMethods = ['eth_getBalance'];
    a.faults.status = 502;
    await rpc.request('eth_getBalance', [SENDER, 'latest'], { signal: AbortSignal.timeout(10_000) }).catch(() => undefined);
    const [health] = rpc.health();
    expect(health).toMatchObject({
      url: `${a.url}/v2/••••`,
      circuit: 'closed',
      head,
      lagging: false,
      maxLogRange: 1_000,
      requests: 4, // one head refresh (chain id checked on the way), three rounds of eth_getBalance
      failures: 3,
      lastError: 'eth_getBalance: HTTP 502 Bad Gateway',
    });
    expect(health!.errorRate).toBeCloseTo(3 / 4);
    expect(health!.latencyMs).toBeGreaterThan(0);
    expect(JSON.stringify(rpc.health())).not.toContain(key);
  });

  it('batch: answers in call order, and items a node failed are retried on their own', async () => {
    const [a, b] = [await proxy(), await proxy()];
    b.faults.delayMs = 30; // so the first endpoint ranks first
    const rpc = pool([a.url, b.url]);
    await rpc.refreshHeads();
    const numbers = [head, 3, head - 1, 0];
    const blocks = await rpc.batch<{ number: Hex }>(
      numbers.map((n) => ({ method: 'eth_getBlockByNumber', params: [numberToHex(n), false] })),
      { atLeastBlock: head },
    );
    expect(blocks.map((block) => Number(block.number))).toEqual(numbers);

    expect(b.counts().eth_getBlockByNumber ?? 0).toBe(0);
    a.faults.lagBlocks = 2; // answers null for the two newest blocks: those items go elsewhere
    const again = await rpc.batch<{ number: Hex }>(
      numbers.map((n) => ({ method: 'eth_getBlockByNumber', params: [numberToHex(n), false] })),
    );
    expect(again.map((block) => Number(block.number))).toEqual(numbers);
    expect(b.counts().eth_getBlockByNumber).toBe(2);
  });

  it('an endpoint serving another chain is never used', async () => {
    const other = await startAnvil({ chainId: 1 });
    try {
      const b = await proxy();
      const rpc = pool([other.rpcUrl, b.url]);
      expect(Number(await rpc.request<Hex>('eth_blockNumber', []))).toBe(head);
      expect(rpc.health()[0]!.lastError).toBe('this URL serves chain 1, not 31337');
      const only = pool([other.rpcUrl]);
      await expect(only.request('eth_blockNumber', [])).rejects.toMatchObject({ code: 'CHAIN_RPC_MISMATCH' });
    } finally {
      await other.stop();
    }
  });

  it('the signal aborts a request waiting between rounds; close() ends the pool', async () => {
    const a = await proxy();
    a.faults.status = 500;
    const rpc = pool([a.url], { maxRounds: 1_000 });
    const controller = new AbortController();
    const pending = rpc.request('eth_chainId', [], { signal: controller.signal }).catch((e: unknown) => e);
    await expect.poll(() => a.counts().eth_chainId ?? 0).toBeGreaterThanOrEqual(2);
    controller.abort();
    expect(await pending).toMatchObject({ name: 'AbortError' });

    rpc.close();
    await expect(rpc.request('eth_chainId', [])).rejects.toThrow('The RPC pool of chain 31337 is closed.');
  });

  it('non-retryable errors come back at once, without failover', async () => {
    const [a, b] = [await proxy(), await proxy()];
    const rpc = pool([a.url, b.url]);
    await expect(rpc.request('eth_getBlockByNumber', ['not-a-number', false])).rejects.toMatchObject({ kind: 'fatal' });
    expect((a.counts().eth_getBlockByNumber ?? 0) + (b.counts().eth_getBlockByNumber ?? 0)).toBe(1);
  });
});
