import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnvil, type Anvil } from '../../../../test/fixtures/anvil.ts';
import { startRpcProxy, type RpcProxy } from '../../../../test/fixtures/rpc-proxy.ts';
import { createRpcPool, type RpcPool } from '../chains/rpc/rpc-pool.ts';
import { createAncestorHashes } from './ancestor-hashes.ts';
import { toHex, type RpcBlock } from './rpc-types.ts';

const logger = pino({ level: 'silent' });
const signal = () => new AbortController().signal;

/** Real anvils: Prague has the EIP-2935 history contract, Cancun only BLOCKHASH's 256 blocks. */
describe.each(['prague', 'cancun'])('AncestorHashes on anvil (%s)', (hardfork) => {
  let anvil: Anvil;
  let proxy: RpcProxy;
  let pool: RpcPool;
  const block = (n: number) => anvil.rpc<RpcBlock>('eth_getBlockByNumber', [toHex(n), false]);

  beforeAll(async () => {
    anvil = await startAnvil({ hardfork });
    await anvil.rpc('anvil_mine', [toHex(1_200)]);
    proxy = await startRpcProxy(anvil.rpcUrl);
    pool = createRpcPool({ chainId: 31337, urls: [proxy.url], logger, timeoutMs: 5_000 });
    await pool.refreshHeads();
  });
  afterAll(async () => {
    pool?.close();
    await proxy?.close();
    await anvil?.stop();
  });

  it('answers the hashes of the blocks below `last` as the chain has them, in one call, and leaves out those out of reach', async () => {
    const ancestors = createAncestorHashes(pool);
    const last = await block(1_100);
    proxy.reset();
    const asked = [3, 700, 845, 1_000, 1_099];
    const hashes = await ancestors.read(asked, last, proxy.url, signal());
    expect(proxy.counts()).toEqual({ eth_call: 1 });
    // BLOCKHASH reaches 256 back (844 is the oldest); the history contract 8,191.
    const reached = hardfork === 'prague' ? asked : [845, 1_000, 1_099];
    expect([...hashes!.keys()].sort((a, b) => a - b)).toEqual(reached);
    for (const n of reached) expect(hashes!.get(n)).toBe((await block(n)).hash);
    expect(ancestors.usable(proxy.url)).toBe(true);
  });

  it('an answer that does not anchor to `last` (another chain, a racing reorg) is not used; twice, and the endpoint is not asked again', async () => {
    const ancestors = createAncestorHashes(pool);
    const real = await block(1_100);
    const other = { ...real, parentHash: (await block(1_050)).hash };
    expect(await ancestors.read([1_000], other, proxy.url, signal())).toBeNull();
    expect(ancestors.usable(proxy.url)).toBe(true);
    // One that anchors in between resets the count.
    expect(await ancestors.read([1_000], real, proxy.url, signal())).not.toBeNull();
    expect(await ancestors.read([1_000], other, proxy.url, signal())).toBeNull();
    expect(await ancestors.read([1_000], other, proxy.url, signal())).toBeNull();
    expect(ancestors.usable(proxy.url)).toBe(false);
    proxy.reset();
    expect(await ancestors.read([1_000], real, proxy.url, signal())).toBeNull();
    expect(proxy.counts()).toEqual({});
  });

  it('a node without the state of `last` (pruned) answers null but is asked again; one that refuses eth_call is not', async () => {
    const ancestors = createAncestorHashes(pool);
    const last = await block(1_100);
    proxy.faults.stateWindow = 50;
    try {
      expect(await ancestors.read([1_000], last, proxy.url, signal())).toBeNull();
      expect(ancestors.usable(proxy.url)).toBe(true);
      proxy.faults = { refuseMethods: ['eth_call'] };
      expect(await ancestors.read([1_000], last, proxy.url, signal())).toBeNull();
      expect(ancestors.usable(proxy.url)).toBe(false);
    } finally {
      proxy.reset();
    }
  });
});

describe('AncestorHashes on a node that ignores the state override', () => {
  it('answers "0x" for the empty helper account: null, and the endpoint is not asked again', async () => {
    // A stand-in pool: no node that ignores overrides runs here (anvil, geth, reth all honour them).
    let calls = 0;
    const pool = {
      batch: async () => {
        calls++;
        return ['0x'];
      },
    } as unknown as RpcPool;
    const ancestors = createAncestorHashes(pool);
    const last = { number: '0x64', hash: `0x${'1'.repeat(64)}`, parentHash: `0x${'2'.repeat(64)}` };
    expect(await ancestors.read([90], last, 'http://a', signal())).toBeNull();
    expect(ancestors.usable('http://a')).toBe(false);
    expect(await ancestors.read([90], last, 'http://a', signal())).toBeNull();
    expect(calls).toBe(1);
  });
});
