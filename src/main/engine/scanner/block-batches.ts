import type { RpcPool } from '../chains/rpc/rpc-pool.ts';
import { asHeader, blockCall, headerMethod } from '../chains/rpc/header-method.ts';
import { TillError } from '../lib/errors.ts';
import type { ScanTask } from './run-limited.ts';
import { hexNumber, type RpcBlock } from './rpc-types.ts';

/** eth_getBlockByNumber calls per JSON-RPC batch. */
export const BLOCKS_PER_BATCH = 50;

/**
 * Reads of `numbers` from one endpoint as tasks of one JSON-RPC batch each, for `runLimited`.
 * Each task hands its blocks to `take` as soon as they arrive, so a caller that keeps only what it
 * needs (headers, matched transfers) holds no more full bodies than there are batches in flight.
 * A block the endpoint does not have although its head is past it is an error, never "nothing there".
 */
export function blockBatchTasks(
  rpc: RpcPool,
  numbers: number[],
  options: { full: boolean; endpoint: string },
  take: (blocks: RpcBlock[]) => void,
): ScanTask[] {
  const tasks: ScanTask[] = [];
  for (let i = 0; i < numbers.length; i += BLOCKS_PER_BATCH) {
    const slice = numbers.slice(i, i + BLOCKS_PER_BATCH);
    tasks.push(async (signal) => {
      const method = options.full ? 'eth_getBlockByNumber' : await headerMethod(rpc, options.endpoint, slice[0]!, signal);
      const answers = (
        await rpc.batch<unknown>(
          slice.map((n) => blockCall(n, options.full, method)),
          { atLeastBlock: Math.max(...slice), endpoint: options.endpoint, signal },
        )
      ).map((answer) => asHeader<RpcBlock>(options.full ? 'eth_getBlockByNumber' : method, answer));
      answers.forEach((block, index) => {
        if (!block)
          throw new TillError(
            'CHAIN_RPC_MISMATCH',
            `The RPC endpoint has no block ${slice[index]} although its head is past it.`,
          );
        if (hexNumber(block.number) !== slice[index])
          throw new TillError(
            'CHAIN_RPC_MISMATCH',
            `The RPC endpoint answered block ${hexNumber(block.number)} for ${slice[index]}.`,
          );
      });
      take(answers as RpcBlock[]);
    });
  }
  return tasks;
}

/**
 * What the scanner keeps of a block once its transactions are matched: enough to link, date and
 * store it, and how many transactions it held when the answer listed them (a header read by
 * eth_getHeaderByNumber or pushed by newHeads does not).
 */
export function headerOf(block: RpcBlock): RpcBlock {
  const txCount = block.txCount ?? (Array.isArray(block.transactions) ? block.transactions.length : undefined);
  return {
    number: block.number,
    hash: block.hash.toLowerCase(),
    parentHash: block.parentHash.toLowerCase(),
    timestamp: block.timestamp,
    transactions: [],
    ...(txCount === undefined ? {} : { txCount }),
  };
}
