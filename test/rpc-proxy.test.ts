import { numberToHex, type Hex } from 'viem';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startAnvil, type Anvil } from './fixtures/anvil.ts';
import { startRpcProxy, type RpcProxy } from './fixtures/rpc-proxy.ts';

let anvil: Anvil;
let proxy: RpcProxy;
let head: number;

async function post(body: unknown): Promise<{ status: number; headers: Headers; text: string }> {
  const response = await fetch(proxy.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}
const call = (method: string, params: unknown[] = [], id = 1) => ({ jsonrpc: '2.0', id, method, params });
async function result<T>(method: string, params: unknown[] = []): Promise<T> {
  return (JSON.parse((await post(call(method, params))).text) as { result: T }).result;
}

beforeAll(async () => {
  anvil = await startAnvil();
  await anvil.rpc('anvil_mine', [numberToHex(50)]);
  head = Number(await anvil.rpc<Hex>('eth_blockNumber'));
  proxy = await startRpcProxy(anvil.rpcUrl);
});
beforeEach(() => proxy.reset());
afterAll(async () => {
  await proxy?.close();
  await anvil?.stop();
});

describe('startRpcProxy', () => {
  it('forwards single calls and batches, counting batch items one by one', async () => {
    expect(Number(await result<Hex>('eth_blockNumber'))).toBe(head);
    const batch = JSON.parse(
      (await post([call('eth_chainId', [], 1), call('eth_blockNumber', [], 2), call('eth_chainId', [], 3)])).text,
    );
    expect(batch.map((r: { id: number; result: string }) => [r.id, r.result])).toEqual([
      [1, '0x7a69'],
      [2, numberToHex(head)],
      [3, '0x7a69'],
    ]);
    expect(proxy.counts()).toEqual({ eth_blockNumber: 2, eth_chainId: 2 });
  });

  it('answers an injected status, only for the listed methods', async () => {
    proxy.faults = { status: 503, failMethods: ['eth_getBalance'] };
    expect((await post(call('eth_getBalance', ['0x0000000000000000000000000000000000000000', 'latest']))).status).toBe(503);
    expect((await post(call('eth_chainId'))).status).toBe(200);
  });

  it('rate limits with Retry-After the given number of times', async () => {
    proxy.faults.rateLimit = { retryAfterSeconds: 7, times: 2 };
    const first = await post(call('eth_chainId'));
    expect([first.status, first.headers.get('retry-after')]).toEqual([429, '7']);
    expect((await post(call('eth_chainId'))).status).toBe(429);
    expect((await post(call('eth_chainId'))).status).toBe(200);
  });

  it('truncates the JSON body', async () => {
    proxy.faults.truncate = true;
    const { text } = await post(call('eth_chainId'));
    expect(() => JSON.parse(text)).toThrow();
    expect(text.length).toBeGreaterThan(0);
  });

  it('lags: head, blocks above it and log ranges', async () => {
    proxy.faults.lagBlocks = 10;
    expect(Number(await result<Hex>('eth_blockNumber'))).toBe(head - 10);
    expect(await result('eth_getBlockByNumber', [numberToHex(head), false])).toBeNull();
    expect(Number((await result<{ number: Hex }>('eth_getBlockByNumber', ['latest', false])).number)).toBe(head - 10);
    expect(await result('eth_getLogs', [{ fromBlock: numberToHex(head - 5), toBlock: numberToHex(head) }])).toEqual([]);
  });

  it('serves eth_getHeaderByNumber as geth does only when asked to (anvil refuses it), counted as a header, not a block read', async () => {
    const refused = JSON.parse((await post(call('eth_getHeaderByNumber', [numberToHex(head)]))).text);
    expect(refused.error).toMatchObject({ code: -32601 });
    proxy.faults.headerMethod = true;
    const block = await result<{ hash: Hex; transactions: unknown[] }>('eth_getBlockByNumber', [numberToHex(head), false]);
    const header = await result<Record<string, unknown>>('eth_getHeaderByNumber', [numberToHex(head)]);
    expect(header).toMatchObject({ number: numberToHex(head), hash: block.hash });
    expect(header).not.toHaveProperty('transactions');
    expect(Array.isArray(block.transactions)).toBe(true);
    expect(proxy.blockReads().get(head)).toBe(1);
    expect(proxy.counts()['eth_getHeaderByNumber']).toBe(2);
  });

  it('serves another fork’s block hashes, deterministically', async () => {
    const real = await result<{ hash: Hex; parentHash: Hex }>('eth_getBlockByNumber', [numberToHex(head), false]);
    proxy.faults.fakeBlockHashes = true;
    const fake = await result<{ hash: Hex; parentHash: Hex }>('eth_getBlockByNumber', [numberToHex(head), false]);
    const again = await result<{ hash: Hex }>('eth_getBlockByNumber', [numberToHex(head), false]);
    expect(fake.hash).not.toBe(real.hash);
    expect(fake.parentHash).not.toBe(real.parentHash);
    expect(again.hash).toBe(fake.hash);
  });

  it('refuses eth_getLogs spans wider than the limit with the given error', async () => {
    proxy.faults.maxLogRange = { blocks: 10, message: 'exceed maximum block range: 10', code: -32000 };
    const refused = JSON.parse((await post(call('eth_getLogs', [{ fromBlock: '0x0', toBlock: '0xa' }]))).text);
    expect(refused.error).toEqual({ code: -32000, message: 'exceed maximum block range: 10' });
    expect(await result('eth_getLogs', [{ fromBlock: '0x0', toBlock: '0x9' }])).toEqual([]);
  });

  it('hangs until closed', async () => {
    const hanging = await startRpcProxy(anvil.rpcUrl);
    hanging.faults.hang = true;
    const request = fetch(hanging.url, { method: 'POST', body: JSON.stringify(call('eth_chainId')) }).then(
      () => 'answered',
      () => 'dropped',
    );
    await expect.poll(() => hanging.counts().eth_chainId, { timeout: 5_000 }).toBe(1);
    await hanging.close();
    expect(await request).toBe('dropped');
  });
});
