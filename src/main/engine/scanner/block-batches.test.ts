import { describe, expect, it } from 'vitest';
import type { RpcPool } from '../chains/rpc/rpc-pool.ts';
import { RpcCallError } from '../chains/rpc/rpc-call-error.ts';
import { headerMethod } from '../chains/rpc/header-method.ts';
import { BLOCKS_PER_BATCH, blockBatchTasks, headerOf } from './block-batches.ts';
import type { RpcBlock } from './rpc-types.ts';

const block = (n: number): RpcBlock => ({
  number: `0x${n.toString(16)}`,
  hash: `0xAB${n}`,
  parentHash: `0xCD${n}`,
  timestamp: '0x1',
  transactions: [{ hash: '0x1', from: '0x2', to: '0x3', value: '0x4' }],
});

/** An endpoint with no header method (as Nethermind), unless `headers` answers the one asked. */
function poolAnswering(
  answer: (n: number) => RpcBlock | null,
  headers?: (call: number, method: string) => { hash: string } | { block: { hash: string } } | Error | undefined,
) {
  const batches: { method: string; numbers: number[]; full: unknown; atLeastBlock?: number; endpoint?: string }[] = [];
  const probes: string[] = [];
  const rpc = {
    async request(method: string, params: unknown[], options: { endpoint: string }) {
      probes.push(`${method} ${options.endpoint} ${String(params[0])}`);
      const header = headers?.(probes.length, method);
      if (!header) throw new RpcCallError('unsupported', `${method}: Method not found`, { rpcCode: -32601 });
      if (header instanceof Error) throw header;
      return header;
    },
    async batch(calls: { method: string; params: unknown[] }[], options: { atLeastBlock?: number; endpoint?: string }) {
      const numbers = calls.map((call) => Number(call.params[0]));
      batches.push({ method: calls[0]!.method, numbers, full: calls[0]!.params[1], ...options });
      if (calls[0]!.method !== 'ots_getBlockDetails') return numbers.map(answer);
      // Otterscan's answer: the block less its transactions, which it counts, and what it issued.
      return numbers.map((n) => {
        const found = answer(n);
        if (!found) return null;
        const { transactions, ...rest } = found;
        return { block: { ...rest, transactionCount: transactions.length }, issuance: {}, totalFees: '0x0' };
      });
    },
  } as unknown as RpcPool;
  return { rpc, batches, probes };
}
const signal = () => new AbortController().signal;

describe('blockBatchTasks', () => {
  it('one batch per 50 blocks, pinned to the endpoint and asking only endpoints that have the batch’s last block', async () => {
    const { rpc, batches } = poolAnswering(block);
    const taken: number[] = [];
    const numbers = Array.from({ length: 120 }, (_, i) => 1_000 + i);
    const tasks = blockBatchTasks(rpc, numbers, { full: true, endpoint: 'http://a' }, (blocks) =>
      taken.push(...blocks.map((b) => Number(b.number))),
    );
    expect(tasks).toHaveLength(Math.ceil(120 / BLOCKS_PER_BATCH));
    for (const task of tasks) await task(new AbortController().signal);
    expect(taken).toEqual(numbers);
    expect(batches.map((b) => [b.numbers.length, b.atLeastBlock, b.endpoint, b.full])).toEqual([
      [50, 1_049, 'http://a', true],
      [50, 1_099, 'http://a', true],
      [20, 1_119, 'http://a', true],
    ]);
  });

  it('a missing block, or another block than the one asked for, is an error and nothing is taken', async () => {
    for (const answer of [(n: number) => (n === 7 ? null : block(n)), (n: number) => block(n === 7 ? 8 : n)]) {
      const { rpc } = poolAnswering(answer);
      let taken = 0;
      const [task] = blockBatchTasks(rpc, [6, 7], { full: false, endpoint: 'http://a' }, () => taken++);
      await expect(task!(new AbortController().signal)).rejects.toMatchObject({ code: 'CHAIN_RPC_MISMATCH' });
      expect(taken).toBe(0);
    }
  });

  it('headerOf keeps what links, dates and stores a block, in lower case, and how many transactions it held', () => {
    expect(headerOf(block(5))).toEqual({
      number: '0x5',
      hash: '0xab5',
      parentHash: '0xcd5',
      timestamp: '0x1',
      transactions: [],
      txCount: 1,
    });
    // A header read alone does not list them: no count rather than a count of 0.
    const { transactions: _, ...alone } = block(5);
    expect(headerOf(alone as RpcBlock)).not.toHaveProperty('txCount');
    expect(headerOf(headerOf(block(5))).txCount).toBe(1);
  });
});

describe('headerMethod: a header without its transaction hashes where the endpoint offers it', () => {
  it('an endpoint that answers eth_getHeaderByNumber is asked for headers that way, after one probe', async () => {
    const { rpc, batches, probes } = poolAnswering(block, () => ({ hash: '0xab' }));
    for (const task of blockBatchTasks(rpc, [10, 11], { full: false, endpoint: 'http://a' }, () => undefined))
      await task(signal());
    for (const task of blockBatchTasks(rpc, [12], { full: false, endpoint: 'http://a' }, () => undefined)) await task(signal());
    expect(probes).toEqual(['eth_getHeaderByNumber http://a 0xa']);
    expect(batches.map((b) => [b.method, b.numbers, b.full])).toEqual([
      ['eth_getHeaderByNumber', [10, 11], undefined],
      ['eth_getHeaderByNumber', [12], undefined],
    ]);
    // Bodies are bodies: always eth_getBlockByNumber with full transactions.
    for (const task of blockBatchTasks(rpc, [13], { full: true, endpoint: 'http://a' }, () => undefined)) await task(signal());
    expect(batches.at(-1)).toMatchObject({ method: 'eth_getBlockByNumber', full: true });
  });

  it('an endpoint that answers neither (Nethermind, most gateways) is asked for blocks, and not probed again', async () => {
    const { rpc, batches, probes } = poolAnswering(block);
    for (let i = 0; i < 3; i++)
      for (const task of blockBatchTasks(rpc, [20 + i], { full: false, endpoint: 'http://a' }, () => undefined))
        await task(signal());
    expect(probes).toEqual(['eth_getHeaderByNumber http://a 0x14', 'ots_getBlockDetails http://a 0x14']);
    expect(batches.map((b) => [b.method, b.full])).toEqual(Array(3).fill(['eth_getBlockByNumber', false]));
  });

  it('an endpoint with Otterscan’s ots_getBlockDetails (anvil, Erigon, reth) is asked that way, and the transaction count is kept', async () => {
    const { rpc, batches, probes } = poolAnswering(block, (_, method) =>
      method === 'ots_getBlockDetails' ? { block: { hash: '0xab' } } : undefined,
    );
    const taken: RpcBlock[] = [];
    for (const task of blockBatchTasks(rpc, [30, 31], { full: false, endpoint: 'http://a' }, (blocks) => taken.push(...blocks)))
      await task(signal());
    expect(probes).toEqual(['eth_getHeaderByNumber http://a 0x1e', 'ots_getBlockDetails http://a 0x1e']);
    expect(batches.map((b) => [b.method, b.numbers])).toEqual([['ots_getBlockDetails', [30, 31]]]);
    expect(taken.map((b) => [b.number, b.hash, b.txCount])).toEqual([
      ['0x1e', '0xAB30', 1],
      ['0x1f', '0xAB31', 1],
    ]);
    expect(headerOf(taken[0]!)).toMatchObject({ hash: '0xab30', parentHash: '0xcd30', txCount: 1 });
  });

  it('each endpoint is asked for itself; a timeout says nothing about the method and is asked again next time', async () => {
    const timeout = new RpcCallError('retryable', 'eth_getHeaderByNumber: timed out');
    const { rpc, probes } = poolAnswering(block, (call) => (call === 1 ? timeout : { hash: '0xab' }));
    expect(await headerMethod(rpc, 'http://a', 5, signal())).toBe('eth_getBlockByNumber');
    expect(await headerMethod(rpc, 'http://a', 6, signal())).toBe('eth_getHeaderByNumber');
    expect(await headerMethod(rpc, 'http://b', 6, signal())).toBe('eth_getHeaderByNumber');
    expect(await headerMethod(rpc, 'http://a', 7, signal())).toBe('eth_getHeaderByNumber');
    expect(probes).toEqual([
      'eth_getHeaderByNumber http://a 0x5',
      'eth_getHeaderByNumber http://a 0x6',
      'eth_getHeaderByNumber http://b 0x6',
    ]);
  });
});
