import type { RpcPool } from '../chains/rpc/rpc-pool.ts';
import { RpcCallError } from '../chains/rpc/rpc-call-error.ts';
import { TillError } from '../lib/errors.ts';
import type { ScanTask } from './run-limited.ts';
import { hexNumber, toHex, type RpcBlock } from './rpc-types.ts';

/** eth_getBlockByNumber calls per JSON-RPC batch. */
export const BLOCKS_PER_BATCH = 50;

/**
 * Reads of `numbers` from one endpoint as tasks of one JSON-RPC batch each, for `runLimited`.
 * Each task hands its blocks to `take` as soon as they arrive, so a caller that keeps only what it
 * needs (headers, matched transfers) holds no more full bodies than there are batches in flight.
 * A block the endpoint does not have although its head is past it is an error, never "nothing there".
 */
export type HeaderMethod = 'eth_getHeaderByNumber' | 'eth_getBlockByNumber';

/** Per pool and endpoint: how it serves a header, once it said so (an answer, or "no such method"). */
const headerMethods = new WeakMap<RpcPool, Map<string, Promise<HeaderMethod>>>();

/**
 * How `endpoint` serves a block header. `eth_getBlockByNumber(n, false)` lists every transaction
 * hash (66 bytes each: 15 KiB for a block of 200), while geth and its forks (op-geth, Arbitrum
 * Nitro, bor, bsc) and reth also answer `eth_getHeaderByNumber(n)` with the header alone (about
 * 1 KiB). Asked once per endpoint with block `probe`; an endpoint that refuses the method is
 * asked for blocks from then on. A failure that says nothing about the method (a timeout) is not
 * kept: that read uses eth_getBlockByNumber and the next one asks again.
 */
export async function headerMethod(rpc: RpcPool, endpoint: string, probe: number, signal: AbortSignal): Promise<HeaderMethod> {
  let known = headerMethods.get(rpc);
  if (!known) headerMethods.set(rpc, (known = new Map()));
  const cached = known.get(endpoint);
  if (cached) return cached;
  const asked = rpc
    .request<{ hash?: unknown } | null>('eth_getHeaderByNumber', [toHex(probe)], { endpoint, atLeastBlock: probe, signal })
    .then(
      (header): HeaderMethod => (header && typeof header.hash === 'string' ? 'eth_getHeaderByNumber' : 'eth_getBlockByNumber'),
      (error: unknown): HeaderMethod => {
        if (signal.aborted) throw error;
        if (!(error instanceof RpcCallError && (error.kind === 'unsupported' || error.kind === 'fatal'))) known.delete(endpoint);
        return 'eth_getBlockByNumber';
      },
    );
  known.set(endpoint, asked);
  return asked;
}

/** The JSON-RPC call that reads block `n`: its body, or its header by the endpoint's method. */
export function blockCall(n: number, full: boolean, method: HeaderMethod): { method: string; params: unknown[] } {
  if (full || method === 'eth_getBlockByNumber') return { method: 'eth_getBlockByNumber', params: [toHex(n), full] };
  return { method, params: [toHex(n)] };
}

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
      const answers = await rpc.batch<RpcBlock | null>(
        slice.map((n) => blockCall(n, options.full, method)),
        { atLeastBlock: Math.max(...slice), endpoint: options.endpoint, signal },
      );
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
