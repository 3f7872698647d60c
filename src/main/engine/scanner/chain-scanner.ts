import type { Logger } from 'pino';
import type { Store } from '../db/store.ts';
import type { RpcPool } from '../chains/rpc/rpc-pool.ts';
import { redactUrl } from '../chains/rpc/redact-url.ts';
import { isoTime, type Clock } from '../lib/clock.ts';
import { TillError } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';
import { recordTransfers } from './record-transfers.ts';
import { refreshInvoice } from '../invoices/invoice-state.ts';
import {
  TRANSFER_TOPIC,
  topicForAddress,
  transfersFromBlocks,
  transfersFromLogs,
  type Transfer,
  type Watched,
} from './match-transfers.ts';
import { blockTimeIso, toHex, type RpcBlock, type RpcLog } from './rpc-types.ts';

export interface ChainScannerDeps {
  chainId: number;
  store: Store;
  clock: Clock;
  logger: Logger;
  rpc: RpcPool;
  /** New outbox rows were written. */
  published(): void;
}

export interface ChainScannerOptions {
  /** Blocks per step when only ERC-20 invoices are watched (one getLogs call, chunked by the pool). */
  logBlocksPerStep?: number;
  /** Blocks per step when native invoices are watched (every block body is fetched). */
  nativeBlocksPerStep?: number;
  /** Addresses per getLogs recipient filter. */
  addressChunk?: number;
  /** How long a payment after its invoice's monitoring window is still looked for, to alert about it. */
  lateWatchMs?: number;
}

export interface StepResult {
  head: number;
  scannedTo: number;
  caughtUp: boolean;
  reorgDepth: number;
}

/** Thrown when the chain changed under a step (a reorg, another process moved the cursor): just step again. */
export class ScanRestartError extends Error {}

const DISTRUST_MS = 5 * 60_000;

/**
 * One chain's scanner step: from the stored cursor to the head, in ranges. Invariants:
 * - the stored cursor block and the recent blocks above the reorg window's floor are linked
 *   parentHash → hash, as seen by one endpoint in one step;
 * - a step's reads all come from one endpoint whose head covers the range, so a lagging node
 *   never answers "nothing there" and mixed forks never produce a phantom;
 * - a step commits its payments, the new cursor and the recent hashes in one transaction, and
 *   only if the cursor is still what the step started from (a rescan by another process wins).
 */
export function createChainScanner(deps: ChainScannerDeps, options: ChainScannerOptions = {}) {
  const { store, clock, logger, rpc, chainId } = deps;
  const logBlocksPerStep = options.logBlocksPerStep ?? 5_000;
  const nativeBlocksPerStep = options.nativeBlocksPerStep ?? 100;
  const addressChunk = options.addressChunk ?? 1_000;
  const lateWatchMs = options.lateWatchMs ?? 30 * 24 * 3600_000;
  const distrusted = new Map<string, number>();

  const now = () => isoTime(clock.now());

  function pickEndpoint(block: number): string {
    const candidates = rpc.endpointsAt(block);
    const trusted = candidates.filter((url) => (distrusted.get(url) ?? 0) < clock.now());
    const chosen = trusted[0] ?? candidates[0];
    if (!chosen) throw new TillError('CHAIN_RPC_UNAVAILABLE', `No RPC endpoint of chain ${chainId} has block ${block} yet.`);
    return chosen;
  }
  const distrust = (url: string, why: string) => {
    distrusted.set(url, clock.now() + DISTRUST_MS);
    logger.warn({ endpoint: redactUrl(url), why }, 'endpoint served inconsistent chain data; using another for 5 minutes');
  };

  async function header(number: number, endpoint: string, signal: AbortSignal): Promise<RpcBlock> {
    const block = await rpc.request<RpcBlock | null>('eth_getBlockByNumber', [toHex(number), false], {
      atLeastBlock: number,
      endpoint,
      signal,
    });
    if (!block)
      throw new TillError('CHAIN_RPC_MISMATCH', `The RPC endpoint has no block ${number} although its head is past it.`);
    return block;
  }

  async function blocksByNumber(
    numbers: number[],
    full: boolean,
    endpoint: string,
    signal: AbortSignal,
  ): Promise<Map<number, RpcBlock>> {
    const out = new Map<number, RpcBlock>();
    for (let i = 0; i < numbers.length; i += 50) {
      const slice = numbers.slice(i, i + 50);
      const answers = await rpc.batch<RpcBlock | null>(
        slice.map((n) => ({ method: 'eth_getBlockByNumber', params: [toHex(n), full] })),
        { atLeastBlock: Math.max(...slice), endpoint, signal },
      );
      answers.forEach((block, index) => {
        if (!block)
          throw new TillError(
            'CHAIN_RPC_MISMATCH',
            `The RPC endpoint has no block ${slice[index]} although its head is past it.`,
          );
        out.set(slice[index]!, block);
      });
    }
    return out;
  }

  function watchSet(nowMs: number): Map<string, Watched> {
    const rows = store.invoices.watchedAddresses(chainId, isoTime(nowMs - lateWatchMs));
    return new Map(
      rows.map((row) => [
        row.address.toLowerCase(),
        { invoiceId: row.invoiceId, tokenAddress: row.tokenAddress?.toLowerCase() ?? null },
      ]),
    );
  }

  /** Walks back from the cursor to the newest stored block the endpoint still agrees with. */
  async function handleReorg(cursorBlock: number, endpoint: string, signal: AbortSignal, top = cursorBlock): Promise<number> {
    // Stored blocks above `top` (the new fork's head, when it is shorter) are gone with the fork.
    const stored = store.recentBlocks.atOrBelow(chainId, top, 10_000);
    let ancestor: number | null = null;
    for (const block of stored) {
      const canonical = await header(block.number, endpoint, signal);
      if (canonical.hash.toLowerCase() === block.hash.toLowerCase()) {
        ancestor = block.number;
        break;
      }
    }
    const floor = ancestor ?? (stored.at(-1)?.number ?? cursorBlock) - 1;
    const depth = cursorBlock - floor;
    const ancestorHash =
      ancestor !== null
        ? stored.find((b) => b.number === ancestor)!.hash
        : floor >= 0
          ? (await header(floor, endpoint, signal)).hash
          : '';
    const at = now();
    store.write(() => {
      const touched = store.payments.orphanAbove(chainId, floor, at);
      store.recentBlocks.deleteAbove(chainId, floor);
      store.scanCursors.set(chainId, floor, ancestorHash.toLowerCase(), at);
      const confirmations = store.chains.get(chainId)?.confirmations ?? 1;
      for (const invoiceId of touched) {
        const before = store.invoices.get(invoiceId)?.status;
        refreshInvoice({ store, clock }, invoiceId);
        if (before === 'confirmed' || before === 'settled') {
          store.alerts.raise(
            {
              id: newId('alr'),
              type: 'deep_reorg',
              severity: 'critical',
              chainId,
              invoiceId,
              message: `A chain reorganisation ${depth} blocks deep removed a payment of invoice ${invoiceId}, which was already ${before}.`,
              remedy: `The reorg was deeper than the ${confirmations} confirmations configured. Check the invoice's payments, consider raising the confirmation depth, and hold the goods until it is confirmed again.`,
              details: { depth, ancestor: floor },
              dedupeKey: `deep_reorg:${invoiceId}:${floor}`,
            },
            at,
          );
        }
      }
      if (ancestor === null) {
        store.alerts.raise(
          {
            id: newId('alr'),
            type: 'deep_reorg',
            severity: 'critical',
            chainId,
            invoiceId: null,
            message: `Chain ${chainId} reorganised deeper than the ${stored.length} blocks Till keeps hashes for.`,
            remedy:
              'Till rescans from below the stored window. If this repeats, an RPC endpoint may serve another fork: check the chain health screen.',
            details: { cursorBlock, floor },
            dedupeKey: `deep_reorg_window:${floor}`,
          },
          at,
        );
      }
    });
    deps.published();
    logger.warn({ depth, ancestor: floor }, 'reorg: payments above the common ancestor orphaned; rescanning');
    return depth;
  }

  async function transferLogs(
    watched: Map<string, Watched>,
    from: number,
    to: number,
    endpoint: string,
    signal: AbortSignal,
  ): Promise<RpcLog[]> {
    const addresses = [...watched.keys()];
    const logs: RpcLog[] = [];
    // No contract filter: a token the invoice did not ask for must be seen too, to raise wrong_token.
    for (let i = 0; i < addresses.length; i += addressChunk) {
      const topics = [TRANSFER_TOPIC, null, addresses.slice(i, i + addressChunk).map(topicForAddress)];
      logs.push(...((await rpc.getLogs({ topics }, from, to, { signal, endpoint })) as unknown as RpcLog[]));
    }
    return logs;
  }

  /** Writes one step: payments, alerts, recent hashes, cursor, invoice states — or nothing. */
  function commit(
    expected: { blockNumber: number; blockHash: string },
    to: number,
    toHash: string,
    transfers: Transfer[],
    watched: Map<string, Watched>,
    headers: Map<number, RpcBlock>,
    windowFloor: number,
  ): boolean {
    const at = now();
    return store.write(() => {
      const current = store.scanCursors.get(chainId);
      if (!current || current.blockNumber !== expected.blockNumber || current.blockHash !== expected.blockHash) return false;
      const newByInvoice = recordTransfers({ store, chainId }, transfers, watched, headers, at);
      for (const [number, block] of headers) {
        if (number >= windowFloor)
          store.recentBlocks.put(chainId, {
            number,
            hash: block.hash.toLowerCase(),
            parentHash: block.parentHash.toLowerCase(),
            time: blockTimeIso(block),
          });
      }
      store.recentBlocks.pruneBelow(chainId, windowFloor);
      store.scanCursors.set(chainId, to, toHash, at);
      const touched = new Set([...newByInvoice.keys(), ...store.payments.invoicesAwaitingDepth(chainId)]);
      for (const invoiceId of touched) refreshInvoice({ store, clock }, invoiceId, newByInvoice.get(invoiceId) ?? []);
      return true;
    });
  }

  /** Starting point for a chain seen for the first time: its configured start block, else the head. */
  async function initialCursor(head: number, signal: AbortSignal): Promise<{ blockNumber: number; blockHash: string }> {
    const chain = store.chains.get(chainId)!;
    const start = chain.startBlock ?? head;
    const blockNumber = start - 1;
    const blockHash = blockNumber >= 0 ? (await header(blockNumber, pickEndpoint(blockNumber), signal)).hash.toLowerCase() : '';
    store.write(() => {
      if (!store.scanCursors.get(chainId)) store.scanCursors.set(chainId, blockNumber, blockHash, now());
    });
    const cursor = store.scanCursors.get(chainId)!;
    return { blockNumber: cursor.blockNumber, blockHash: cursor.blockHash };
  }

  async function step(signal: AbortSignal): Promise<StepResult> {
    const chain = store.chains.get(chainId);
    if (!chain) throw new TillError('CHAIN_NOT_FOUND', `Chain ${chainId} is no longer configured.`);
    const head = await rpc.refreshHeads({ signal });
    const cursor = store.scanCursors.get(chainId) ?? (await initialCursor(head, signal));
    const window = Math.max(chain.confirmations * 2, 64);
    const endpoint = pickEndpoint(Math.min(head, cursor.blockNumber + 1));

    // The block we stopped at must still be canonical; if not, walk back before going on. When
    // every endpoint's head is below it, the newest block both sides have is checked instead: a
    // lagging node agrees with what we stored there, a shorter winning fork (missed slots) does not.
    const checkAt = Math.min(cursor.blockNumber, head);
    const expectedHash = checkAt === cursor.blockNumber ? cursor.blockHash : store.recentBlocks.get(chainId, checkAt)?.hash;
    if (checkAt >= 0 && expectedHash) {
      const canonical = await header(checkAt, endpoint, signal);
      if (canonical.hash.toLowerCase() !== expectedHash) {
        // Before undoing payments, make sure it is the chain that moved and not this endpoint
        // that is on another fork: a second provider that still has our block settles it.
        const second = rpc.endpointsAt(checkAt).find((url) => url !== endpoint && (distrusted.get(url) ?? 0) < clock.now());
        if (second) {
          const other = await header(checkAt, second, signal).catch(() => null);
          if (other && other.hash.toLowerCase() === expectedHash) {
            distrust(endpoint, 'block hash differs from the other endpoints');
            throw new ScanRestartError(`endpoint disagrees with the others on block ${checkAt}`);
          }
        }
        const depth = await handleReorg(cursor.blockNumber, endpoint, signal, checkAt);
        return { head, scannedTo: cursor.blockNumber - depth, caughtUp: false, reorgDepth: depth };
      }
    }

    const from = cursor.blockNumber + 1;
    if (from > head) {
      // Nothing new: confirmations still move only with new blocks, expiry is the expiry loop's.
      return { head, scannedTo: cursor.blockNumber, caughtUp: true, reorgDepth: 0 };
    }
    const watched = watchSet(clock.now());
    const native = [...watched.values()].some((entry) => entry.tokenAddress === null);
    const to = Math.min(head, from + (native ? nativeBlocksPerStep : logBlocksPerStep) - 1);
    const windowFloor = Math.max(0, head - window + 1);

    const logs = watched.size > 0 ? await transferLogs(watched, from, to, endpoint, signal) : [];
    const transfers = transfersFromLogs(logs, watched);
    let headers: Map<number, RpcBlock>;
    if (native) {
      const range = Array.from({ length: to - from + 1 }, (_, i) => from + i);
      headers = await blocksByNumber(range, true, endpoint, signal);
      transfers.push(...transfersFromBlocks([...headers.values()], watched));
    } else {
      const wanted = new Set<number>([from, to, ...transfers.map((t) => t.blockNumber)]);
      for (let n = Math.max(from, windowFloor); n <= to; n++) wanted.add(n);
      headers = await blocksByNumber(
        [...wanted].sort((a, b) => a - b),
        false,
        endpoint,
        signal,
      );
    }

    // Consistency: the range hangs off our cursor, headers link up, logs sit in those blocks.
    const first = headers.get(from)!;
    if (cursor.blockHash && first.parentHash.toLowerCase() !== cursor.blockHash) {
      if (store.recentBlocks.get(chainId, cursor.blockNumber)?.hash === cursor.blockHash && rpc.endpointsAt(from).length > 1)
        distrust(endpoint, 'parent hash mismatch');
      throw new ScanRestartError(`block ${from} does not link to the scanned block ${cursor.blockNumber}`);
    }
    for (const [number, block] of headers) {
      const parent = headers.get(number - 1);
      if (parent && block.parentHash.toLowerCase() !== parent.hash.toLowerCase()) {
        distrust(endpoint, 'headers do not link');
        throw new ScanRestartError(`blocks ${number - 1} and ${number} do not link`);
      }
    }
    for (const transfer of transfers) {
      if (headers.get(transfer.blockNumber)?.hash.toLowerCase() !== transfer.blockHash) {
        distrust(endpoint, 'log block hash mismatch');
        throw new ScanRestartError(`a log in block ${transfer.blockNumber} carries another block's hash`);
      }
    }
    // A second provider must agree on every block that holds a payment before it is recorded.
    const second = rpc.endpointsAt(to).find((url) => url !== endpoint && (distrusted.get(url) ?? 0) < clock.now());
    if (second && transfers.length > 0) {
      for (const number of new Set(transfers.map((t) => t.blockNumber))) {
        const other = await header(number, second, signal).catch(() => null);
        if (other && other.hash.toLowerCase() !== headers.get(number)!.hash.toLowerCase()) {
          throw new ScanRestartError(`endpoints disagree on block ${number}; waiting for them to converge`);
        }
      }
    }

    const toHash = headers.get(to)!.hash.toLowerCase();
    if (!commit(cursor, to, toHash, transfers, watched, headers, windowFloor))
      throw new ScanRestartError('the cursor moved (rescan?)');
    if (transfers.length > 0) logger.info({ from, to, transfers: transfers.length }, 'payments found');
    deps.published();
    return { head, scannedTo: to, caughtUp: to >= head, reorgDepth: 0 };
  }

  return { step, handleReorg };
}
export type ChainScanner = ReturnType<typeof createChainScanner>;
