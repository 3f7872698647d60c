import { describe, expect, it } from 'vitest';
import type { RpcPool } from '../chains/rpc/rpc-pool.ts';
import { BLOCKS_PER_BATCH, blockBatchTasks, headerOf } from './block-batches.ts';
import type { RpcBlock } from './rpc-types.ts';

const block = (n: number): RpcBlock => ({
  number: `0x${n.toString(16)}`,
  hash: `0xAB${n}`,
  parentHash: `0xCD${n}`,
  timestamp: '0x1',
  transactions: [{ hash: '0x1', from: '0x2', to: '0x3', value: '0x4' }],
});

function poolAnswering(answer: (n: number) => RpcBlock | null) {
  const batches: { numbers: number[]; full: unknown; atLeastBlock?: number; endpoint?: string }[] = [];
  const rpc = {
    async batch(calls: { params: unknown[] }[], options: { atLeastBlock?: number; endpoint?: string }) {
      const numbers = calls.map((call) => Number(call.params[0]));
      batches.push({ numbers, full: calls[0]!.params[1], ...options });
      return numbers.map(answer);
    },
  } as unknown as RpcPool;
  return { rpc, batches };
}

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

  it('headerOf keeps what links, dates and stores a block, in lower case, without its transactions', () => {
    expect(headerOf(block(5))).toEqual({ number: '0x5', hash: '0xab5', parentHash: '0xcd5', timestamp: '0x1', transactions: [] });
  });
});
