import type { RpcPool } from '../chains/rpc/rpc-pool.ts';
import { blockBatchTasks, headerOf } from './block-batches.ts';
import {
  TRANSFER_TOPIC,
  topicForAddress,
  transfersFromBlocks,
  transfersFromLogs,
  type Transfer,
  type Watched,
} from './match-transfers.ts';
import { runLimited, type ScanTask } from './run-limited.ts';
import { hexNumber, type RpcBlock, type RpcLog } from './rpc-types.ts';

export interface RangeReads {
  rpc: RpcPool;
  /** Addresses per getLogs recipient filter. */
  addressChunk: number;
  /** JSON-RPC requests kept in flight to the endpoint. */
  requestsInFlight: number;
}

export interface RangeToRead {
  watched: Map<string, Watched>;
  /** Whether native invoices are watched: then every block body is read, else only the headers needed. */
  native: boolean;
  from: number;
  to: number;
  /** The header of `to`, read before this call (and so before any log). */
  last: RpcBlock;
  /** Headers from here on are kept for the reorg window. */
  windowFloor: number;
  /**
   * ERC-20 only: the window's headers are read from here on; those below (down to the floor)
   * the caller learns by hash (AncestorHashes). `windowFloor` to read them all.
   */
  windowReadFrom: number;
  endpoint: string;
  /**
   * ERC-20 only: read the headers of the blocks holding transfers. Off where the caller checks
   * them otherwise (AncestorHashes, with the time from the logs) and reads only what that leaves.
   */
  holdingHeaders: boolean;
}

export interface RangeRead {
  /**
   * Lower-case headers by number: every block (native), or `from`, `to`, the window and (with
   * `holdingHeaders`) the blocks holding transfers.
   */
  headers: Map<number, RpcBlock>;
  /** ERC-20 transfers by address chunk and block, then native ones by block. */
  transfers: Transfer[];
}

/** The recipient topics of a watch set in getLogs filter chunks, kept as long as the set is. */
const topicChunks = new WeakMap<Map<string, Watched>, Map<number, string[][]>>();

function recipientChunks(watched: Map<string, Watched>, size: number): string[][] {
  let bySize = topicChunks.get(watched);
  if (!bySize) topicChunks.set(watched, (bySize = new Map()));
  let chunks = bySize.get(size);
  if (!chunks) {
    const topics = [...watched.keys()].map(topicForAddress);
    chunks = [];
    for (let i = 0; i < topics.length; i += size) chunks.push(topics.slice(i, i + size));
    bySize.set(size, chunks);
  }
  return chunks;
}

/**
 * A step's reads of [from, to] from one endpoint: the Transfer logs to watched addresses (one
 * getLogs per address chunk, ranges chunked by the pool) and the blocks, with a few requests in
 * flight at once. Native: every body, reduced to its header and matched transfers as it arrives.
 * ERC-20 only: the headers of `from` and of the reorg window up front, and those of the blocks
 * holding transfers as soon as each chunk's logs are in, while other chunks are still read.
 * It checks nothing about how the answers fit together; the caller does.
 */
export async function readRange(deps: RangeReads, range: RangeToRead, signal: AbortSignal): Promise<RangeRead> {
  const { rpc, requestsInFlight } = deps;
  const { watched, native, from, to, last, windowFloor, windowReadFrom, endpoint, holdingHeaders } = range;
  const headers = new Map<number, RpcBlock>();
  const keep = (blocks: RpcBlock[]) => {
    for (const block of blocks) headers.set(hexNumber(block.number), headerOf(block));
  };
  // Blocks whose header is read or being read (ERC-20 only), so two chunks never ask for one twice.
  const claimed = new Set<number>([to]);
  const byChunk: Transfer[][] = [];
  const tasks: ScanTask[] = [];
  // No contract filter: a token the invoice did not ask for must be seen too, to raise wrong_token.
  for (const recipients of watched.size > 0 ? recipientChunks(watched, deps.addressChunk) : []) {
    const index = tasks.length;
    tasks.push(async (taskSignal) => {
      const logs = await rpc.getLogs({ topics: [TRANSFER_TOPIC, null, recipients] }, from, to, { signal: taskSignal, endpoint });
      const found = transfersFromLogs(logs as unknown as RpcLog[], watched);
      byChunk[index] = found;
      if (native || !holdingHeaders) return;
      const holding = [...new Set(found.map((t) => t.blockNumber))].filter((n) => !claimed.has(n)).sort((a, b) => a - b);
      for (const n of holding) claimed.add(n);
      for (const read of blockBatchTasks(rpc, holding, { full: false, endpoint }, keep)) await read(taskSignal);
    });
  }
  const nativeTransfers: Transfer[] = [];
  if (native) {
    const all = Array.from({ length: to - from + 1 }, (_, i) => from + i);
    tasks.push(
      ...blockBatchTasks(rpc, all, { full: true, endpoint }, (blocks) => {
        nativeTransfers.push(...transfersFromBlocks(blocks, watched));
        keep(blocks);
      }),
    );
  } else {
    const early = from < to ? [from] : [];
    for (let n = Math.max(from + 1, windowFloor, windowReadFrom); n < to; n++) early.push(n);
    for (const n of early) claimed.add(n);
    tasks.push(...blockBatchTasks(rpc, early, { full: false, endpoint }, keep));
  }
  await runLimited(tasks, requestsInFlight, signal);
  if (!native) headers.set(to, last);
  // Batches finish in any order; a block's transactions stay in order (the sort is stable).
  nativeTransfers.sort((a, b) => a.blockNumber - b.blockNumber);
  return { headers, transfers: [...byChunk.flat(), ...nativeTransfers] };
}
