import type { Logger } from 'pino';
import type { Store } from '../db/store.ts';
import type { RecentBlock } from '../db/repositories/recent-blocks-repo.ts';
import type { RpcPool } from '../chains/rpc/rpc-pool.ts';
import { redactUrl } from '../chains/rpc/redact-url.ts';
import { isoTime, type Clock } from '../lib/clock.ts';
import { TillError } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';
import { recordTransfers } from './record-transfers.ts';
import { refreshInvoice } from '../invoices/invoice-state.ts';
import type { Transfer, Watched } from './match-transfers.ts';
import { blockTimeIso, hexNumber, toHex, type RpcBlock } from './rpc-types.ts';
import { createAncestorHashes } from './ancestor-hashes.ts';
import { asHeader, blockCall, headerMethod } from '../chains/rpc/header-method.ts';
import { BLOCKS_PER_BATCH, blockBatchTasks, headerOf } from './block-batches.ts';
import { readRange } from './read-range.ts';
import { runLimited } from './run-limited.ts';
import { createStepSpan } from './step-span.ts';
import { createNativeBalanceWatch, StaleRangeError, StateUnavailableError, type NativeRead } from './native-balance-watch.ts';

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
  /**
   * Catch-up steps start at the first number of blocks and grow up to the most while they take
   * under half of `stepTargetMs` (./step-span.ts). ERC-20 only (getLogs, chunked by the pool, and
   * a few headers): first 10,000, most 20,000. Native invoices watched (every block body is read):
   * first 1,000, most 5,000.
   */
  logBlocksPerStep?: number;
  logFirstBlocksPerStep?: number;
  nativeBlocksPerStep?: number;
  nativeFirstBlocksPerStep?: number;
  stepTargetMs?: number;
  /** JSON-RPC requests (getLogs chunks, block batches) a step keeps in flight to its endpoint. */
  requestsInFlight?: number;
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
const IDLE_RECHECK_MS = 1_000;
/**
 * The newest blocks of the reorg window whose headers a catch-up reads whatever else it learns
 * by hash: their times give the chain's block time (the median of 8 gaps) for the stall alert.
 */
const TIMED_WINDOW_BLOCKS = 9;
const SPAN_MIN = 100;

/**
 * One chain's scanner step: from the stored cursor to the head, in ranges. Invariants:
 * - the stored cursor block and the recent blocks above the reorg window's floor are linked
 *   parentHash → hash, as seen by one endpoint in one step;
 * - a step's reads all come from one endpoint whose head covers the range, so a lagging node
 *   never answers "nothing there" and mixed forks never produce a phantom;
 * - a step reads the header of its last block before it asks for any log, and what it commits
 *   ends in that same block (native: the body read for it must carry that hash). The logs then
 *   come from the chain the step commits, or that chain was already replaced when they were read
 *   and the next step's cursor check walks it back. (Logs read first would let a reorg between
 *   the reads pass unseen: a block that gained a payment would be committed with the logs of the
 *   block it replaced.) So a step's logs and block reads may run concurrently, never before it;
 * - the watch set is read after the head: an invoice created later can only be paid in a block
 *   above the step's range, which a later step reads with a later watch set;
 * - a step commits its payments, the new cursor and the recent hashes in one transaction, and
 *   only if the cursor is still what the step started from (a rescan by another process wins).
 */
export function createChainScanner(deps: ChainScannerDeps, options: ChainScannerOptions = {}) {
  const { store, clock, logger, rpc, chainId } = deps;
  const targetMs = options.stepTargetMs ?? 2_000;
  const spans = {
    logs: createStepSpan({
      first: options.logFirstBlocksPerStep ?? 10_000,
      min: SPAN_MIN,
      max: options.logBlocksPerStep ?? 20_000,
      targetMs,
    }),
    native: createStepSpan({
      first: options.nativeFirstBlocksPerStep ?? 1_000,
      min: SPAN_MIN,
      max: options.nativeBlocksPerStep ?? 5_000,
      targetMs,
    }),
  };
  const requestsInFlight = Math.max(1, options.requestsInFlight ?? 3);
  const addressChunk = options.addressChunk ?? 1_000;
  const lateWatchMs = options.lateWatchMs ?? 30 * 24 * 3600_000;
  const distrusted = new Map<string, number>();
  const nativeWatch = createNativeBalanceWatch({ chainId, store, rpc }, requestsInFlight);
  const ancestors = createAncestorHashes(rpc);
  /** When the cursor block was last checked on an idle poll (nothing new). */
  let idleChecked: { hash: string; at: number } | undefined;

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
    // Without this the chain health screen shows a healthy endpoint that the scanner silently avoids.
    rpc.flagEndpoint(
      url,
      `served chain data the other endpoints contradict (${why}): it may be on another fork or network; not used for scanning for 5 minutes`,
    );
  };

  async function header(number: number, endpoint: string, signal: AbortSignal): Promise<RpcBlock> {
    const { method, params } = blockCall(number, false, await headerMethod(rpc, endpoint, number, signal));
    const block = asHeader<RpcBlock>(
      method,
      await rpc.request<unknown>(method, params, { atLeastBlock: number, endpoint, signal }),
    );
    if (!block)
      throw new TillError('CHAIN_RPC_MISMATCH', `The RPC endpoint has no block ${number} although its head is past it.`);
    return block;
  }

  /** Headers of `numbers` from one endpoint, keyed by number, in batches with a few in flight. */
  async function headersAt(numbers: number[], endpoint: string, signal: AbortSignal): Promise<Map<number, RpcBlock>> {
    const out = new Map<number, RpcBlock>();
    const keep = (blocks: RpcBlock[]) => {
      for (const block of blocks) out.set(hexNumber(block.number), headerOf(block));
    };
    await runLimited(blockBatchTasks(rpc, numbers, { full: false, endpoint }, keep), requestsInFlight, signal);
    return out;
  }

  /**
   * What a step did not read, from one AncestorHashes call where the endpoint answers it:
   * - headers for `numbers`, blocks below `last` that hold `transfers`. Where a log in the block
   *   carried the block's time, the header is made from the hash and parent hash as the chain
   *   ending at `last` has them and the log's time; a hash the logs' must then match as before.
   *   The rest are read.
   * - the hashes of `window` (reorg window blocks whose headers were not read) and of the block
   *   below its lowest, so the caller can link them to the headers it read. Where the call
   *   cannot answer, these headers are read instead.
   * For a catch-up's 100 blocks holding payments and 55 window blocks: 1 call instead of 155.
   */
  async function unreadBlocks(
    numbers: number[],
    transfers: Transfer[],
    window: number[],
    last: RpcBlock,
    endpoint: string,
    signal: AbortSignal,
  ): Promise<{ headers: Map<number, RpcBlock>; hashes: Map<number, string> }> {
    const times = new Map<number, number>();
    for (const t of transfers) if (t.blockTime !== undefined) times.set(t.blockNumber, t.blockTime);
    const dated = numbers.filter((n) => times.has(n) && n > 0);
    const windowAsked = window.length > 0 ? [window[0]! - 1, ...window] : [];
    const asked = [...dated, ...dated.map((n) => n - 1), ...windowAsked];
    const answered = asked.length > 0 ? await ancestors.read(asked, last, endpoint, signal) : null;
    const headers = new Map<number, RpcBlock>();
    for (const n of dated) {
      const hash = answered?.get(n);
      const parentHash = answered?.get(n - 1);
      if (hash && parentHash)
        headers.set(n, { number: toHex(n), hash, parentHash, timestamp: toHex(times.get(n)!), transactions: [] });
    }
    const hashes = new Map<number, string>();
    if (windowAsked.every((n) => answered?.has(n))) for (const n of windowAsked) hashes.set(n, answered!.get(n)!);
    const rest = [...numbers.filter((n) => !headers.has(n)), ...(hashes.size > 0 ? [] : window)];
    for (const [n, block] of await headersAt([...new Set(rest)], endpoint, signal)) headers.set(n, block);
    return { headers, hashes };
  }

  /**
   * The watched addresses, read on every step. Only the watched invoices' seqs are read each time;
   * the rows behind them (which never change for a seq) are re-read only when that set changed.
   */
  function watchSet(nowMs: number): Map<string, Watched> {
    const since = isoTime(nowMs - lateWatchMs);
    const seqs = store.invoices.watchedSeqs(chainId, since);
    if (watchCache && seqs.length === watchCache.seqs.size && seqs.every((seq) => watchCache!.seqs.has(seq)))
      return watchCache.watched;
    const rows = store.invoices.watchedAddresses(chainId, since);
    const watched = new Map(
      rows.map((row) => [
        row.address.toLowerCase(),
        { invoiceId: row.invoiceId, tokenAddress: row.tokenAddress?.toLowerCase() ?? null },
      ]),
    );
    watchCache = { seqs: new Set(rows.map((row) => row.seq)), watched };
    return watched;
  }
  let watchCache: { seqs: Set<number>; watched: Map<string, Watched> } | undefined;

  /**
   * `endpoint` shares none of the stored recent blocks: a reorg deeper than the whole window. On a
   * chain with finality that is far more often an endpoint on another fork or network than the
   * chain itself, so while other endpoints are configured, one of them must see the change too
   * before any payment is undone. (With one endpoint configured, its word is all there is.)
   */
  async function confirmUnanchoredReorg(
    stored: { number: number; hash: string }[],
    endpoint: string,
    signal: AbortSignal,
  ): Promise<void> {
    if (rpc.health().length < 2) return;
    const newest = stored[0]!;
    for (const url of rpc.endpointsAt(newest.number)) {
      if (url === endpoint) continue;
      const other = await header(newest.number, url, signal).catch(() => null);
      if (!other) continue;
      if (other.hash.toLowerCase() !== newest.hash.toLowerCase()) return;
      distrust(endpoint, `none of the ${stored.length} blocks scanned last is on its chain`);
      throw new ScanRestartError(`endpoint shares none of the ${stored.length} blocks scanned last with the others`);
    }
    throw new TillError(
      'CHAIN_RPC_UNAVAILABLE',
      `${redactUrl(endpoint)} shares none of the ${stored.length} blocks of chain ${chainId} scanned last, and no other endpoint answered to confirm so deep a reorganisation: Till undoes no payment on one endpoint's word. That endpoint may serve another fork or network; check it and the others on the chain health screen.`,
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
    if (ancestor === null && stored.length > 0) await confirmUnanchoredReorg(stored, endpoint, signal);
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

  /** A second provider must agree on every block that holds a payment before it is recorded. */
  async function crossCheck(
    transfers: Transfer[],
    headers: Map<number, RpcBlock>,
    to: number,
    endpoint: string,
    anchor: { blockNumber: number; blockHash: string },
    signal: AbortSignal,
  ) {
    const second = rpc.endpointsAt(to).find((url) => url !== endpoint && (distrusted.get(url) ?? 0) < clock.now());
    if (!second || transfers.length === 0) return;
    const numbers = [...new Set(transfers.map((t) => t.blockNumber))];
    for (let i = 0; i < numbers.length; i += BLOCKS_PER_BATCH) {
      const slice = numbers.slice(i, i + BLOCKS_PER_BATCH);
      const method = await headerMethod(rpc, second, slice[0]!, signal);
      const batch = await rpc
        .batch<unknown>(
          slice.map((n) => blockCall(n, false, method)),
          { endpoint: second, signal },
        )
        .then((answers) => answers.map((answer) => asHeader<RpcBlock>(method, answer)))
        .catch(() => null);
      // A batch that failed as a whole is asked block by block; a block the second one cannot serve is not held against the first.
      const others = batch ?? (await Promise.all(slice.map((n) => header(n, second, signal).catch(() => null))));
      for (const [k, number] of slice.entries()) {
        const other = others[k];
        if (!other || other.hash.toLowerCase() === headers.get(number)!.hash.toLowerCase()) continue;
        // `endpoint` has just shown that its blocks hang off our stored cursor. A second one that
        // contradicts that stored block as well is the one on another fork, not a chain still
        // settling at its tip: waiting for it to converge would hold every payment back for as
        // long as it stays there.
        const atAnchor = anchor.blockHash ? await header(anchor.blockNumber, second, signal).catch(() => null) : null;
        if (atAnchor && atAnchor.hash.toLowerCase() !== anchor.blockHash) {
          distrust(second, `block ${anchor.blockNumber} hash differs from the one scanned`);
          return;
        }
        throw new ScanRestartError(`endpoints disagree on block ${number}; waiting for them to converge`);
      }
    }
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
    nativeRead: NativeRead | null,
    /** Window blocks known by hash alone (no time). */
    hashedOnly: RecentBlock[],
  ): boolean {
    const at = now();
    return store.write(() => {
      const current = store.scanCursors.get(chainId);
      if (!current || current.blockNumber !== expected.blockNumber || current.blockHash !== expected.blockHash) return false;
      const newByInvoice = recordTransfers({ store, chainId }, transfers, watched, headers, at);
      if (nativeRead) {
        store.nativeBalances.save(chainId, { number: to, hash: toHash }, nativeRead.balances, { replace: nativeRead.replace });
        for (const credit of nativeRead.internal) raiseInternalCredit(credit, watched, at);
      }
      for (const [number, block] of headers) {
        if (number >= windowFloor)
          store.recentBlocks.put(chainId, {
            number,
            hash: block.hash.toLowerCase(),
            parentHash: block.parentHash.toLowerCase(),
            time: blockTimeIso(block),
          });
      }
      for (const block of hashedOnly) store.recentBlocks.put(chainId, block);
      store.recentBlocks.pruneBelow(chainId, windowFloor);
      store.scanCursors.set(chainId, to, toHash, at);
      const touched = new Set([...newByInvoice.keys(), ...store.payments.invoicesAwaitingDepth(chainId)]);
      for (const invoiceId of touched) refreshInvoice({ store, clock }, invoiceId, newByInvoice.get(invoiceId) ?? []);
      return true;
    });
  }

  /** The same alert as reconcileNativeBalances (same dedupe key), now with the block it happened in. */
  function raiseInternalCredit(credit: NativeRead['internal'][number], watched: Map<string, Watched>, at: string): void {
    const entry = watched.get(credit.address);
    // As the balance reconcile: native invoices only (a token invoice's address holds the coin
    // a gas top-up sent it for its own sweep).
    const invoice = entry && entry.tokenAddress === null ? store.invoices.get(entry.invoiceId) : undefined;
    if (!invoice) return;
    const recorded = store.payments
      .listForInvoice(invoice.id)
      .filter((p) => p.status !== 'orphaned' && p.tokenAddress === null && p.blockNumber <= credit.blockNumber)
      .reduce((sum, p) => sum + p.amount, 0n);
    store.alerts.raise(
      {
        id: newId('alr'),
        type: 'internal_transfer',
        severity: 'warning',
        chainId,
        invoiceId: invoice.id,
        message: `The deposit address of invoice ${invoice.id} received ${credit.amount} wei ${invoice.tokenSymbol} in block ${credit.blockNumber}${credit.txHash ? ` (tx ${credit.txHash})` : ''} without a transaction to it: an internal transfer (a contract sent it).`,
        remedy:
          'Check the address on a block explorer ("internal transactions" of that block). If it is the customer’s payment, mark the invoice paid with that as the reason.',
        details: {
          balance: credit.balanceAfter.toString(),
          recorded: recorded.toString(),
          extra: credit.amount.toString(),
          block: credit.blockNumber,
          ...(credit.txHash ? { txHash: credit.txHash } : {}),
        },
        dedupeKey: `internal:${invoice.id}:${credit.balanceAfter}`,
      },
      at,
    );
  }

  /** Starting point for a chain seen for the first time: its configured start block, else the head. */
  async function initialCursor(head: number, signal: AbortSignal): Promise<{ blockNumber: number; blockHash: string }> {
    const chain = store.chains.get(chainId)!;
    const start = chain.startBlock ?? head;
    const blockNumber = start - 1;
    const endpoint = blockNumber >= 0 ? pickEndpoint(blockNumber) : '';
    const blockHash = blockNumber >= 0 ? (await header(blockNumber, endpoint, signal)).hash.toLowerCase() : '';
    // Every later check trusts this first hash (a step must hang off it; of two endpoints that
    // disagree, the one that contradicts it is set aside), so it must not rest on one endpoint's
    // word while another can be asked.
    const second = blockHash
      ? rpc.endpointsAt(blockNumber).find((url) => url !== endpoint && (distrusted.get(url) ?? 0) < clock.now())
      : undefined;
    const other = second ? await header(blockNumber, second, signal).catch(() => null) : null;
    if (other && other.hash.toLowerCase() !== blockHash)
      throw new TillError(
        'CHAIN_RPC_MISMATCH',
        `RPC endpoints ${redactUrl(endpoint)} and ${redactUrl(second!)} disagree about block ${blockNumber} (${blockHash} vs ${other.hash.toLowerCase()}): one of them serves another fork or network. Scanning starts once they agree; remove the URL that is wrong.`,
      );
    store.write(() => {
      if (!store.scanCursors.get(chainId)) store.scanCursors.set(chainId, blockNumber, blockHash, now());
    });
    const cursor = store.scanCursors.get(chainId)!;
    return { blockNumber: cursor.blockNumber, blockHash: cursor.blockHash };
  }

  async function step(signal: AbortSignal): Promise<StepResult> {
    const started = performance.now();
    const chain = store.chains.get(chainId);
    if (!chain) throw new TillError('CHAIN_NOT_FOUND', `Chain ${chainId} is no longer configured.`);
    const head = await rpc.refreshHeads({ signal });
    const cursor = store.scanCursors.get(chainId) ?? (await initialCursor(head, signal));
    const window = Math.max(chain.confirmations * 2, 64);
    const endpoint = pickEndpoint(Math.min(head, cursor.blockNumber + 1));
    const from = cursor.blockNumber + 1;
    const watched = from <= head ? watchSet(clock.now()) : new Map<string, Watched>();
    const native = [...watched.values()].some((entry) => entry.tokenAddress === null);
    let mode = native ? nativeWatch.plan(chain.nativeDetection, cursor, spans.logs.blocks, endpoint) : null;
    if (mode === 'balances')
      await nativeWatch.checkState(cursor, endpoint, signal).catch((error: unknown) => {
        if (!(error instanceof StateUnavailableError)) throw error;
        nativeWatch.noState(cursor.blockNumber, error);
        mode = 'blocks';
      });
    const span = mode === 'blocks' ? spans.native : spans.logs;
    const to = Math.min(head, from + span.blocks - 1);

    // The block we stopped at must still be canonical; if not, walk back before going on. When
    // every endpoint's head is below it, the newest block both sides have is checked instead: a
    // lagging node agrees with what we stored there, a shorter winning fork (missed slots) does not.
    // The same request reads the range's last header, which pins the chain this step reads.
    const checkAt = Math.min(cursor.blockNumber, head);
    const expectedHash = checkAt === cursor.blockNumber ? cursor.blockHash : store.recentBlocks.get(chainId, checkAt)?.hash;
    // With nothing new (the head is the cursor), the tip is looked at again only once the next
    // block is overdue: twice the chain's block time, and at most once a second. Until then the
    // next block's parent hash shows a same-height reorg anyway, and a poll interval shorter than
    // the block time does not re-read a busy block's header each poll. The step that read the
    // block counts as a look at it.
    const idle = from > head && checkAt === cursor.blockNumber;
    // A header the endpoint's live newHeads subscription pushed is its word on that block as its
    // eth_getBlockByNumber answer is (without the transaction hashes): it stands in for reading
    // `to`, and answers an idle recheck for free, so that one is made on every idle poll. Only
    // this endpoint's: a step never mixes endpoints.
    const pushedTo = from <= head ? rpc.pushedHeader?.(endpoint, to) : undefined;
    const pushedAtCursor = idle ? rpc.pushedHeader?.(endpoint, cursor.blockNumber) : undefined;
    const recheckDue =
      !idle ||
      pushedAtCursor !== undefined ||
      !idleChecked ||
      idleChecked.hash !== expectedHash ||
      (clock.now() - idleChecked.at >= IDLE_RECHECK_MS &&
        clock.now() - idleChecked.at >= 2 * (store.recentBlocks.medianBlockTimeMs(chainId) ?? 0));
    const check = checkAt >= 0 && expectedHash && recheckDue ? checkAt : null;
    if (idle && check !== null) idleChecked = { hash: expectedHash!, at: clock.now() };
    // A one-block step (tracking the head) shows the cursor block is still canonical by its
    // parent hash, so the cursor's own header (which lists every transaction hash of a busy
    // block) is read only when that link fails.
    const byLink = check !== null && check === cursor.blockNumber && from === to;
    // A pushed cursor header that differs is not taken as the reorg itself: the real header is
    // read, so the reorg handling starts from an answer, as it does without a subscription.
    const agreedByPush = pushedAtCursor !== undefined && pushedAtCursor.hash === expectedHash;
    const first = await headersAt(
      [...(check !== null && !byLink && !agreedByPush ? [check] : []), ...(from <= head && !pushedTo ? [to] : [])],
      endpoint,
      signal,
    );
    if (pushedTo) first.set(to, pushedTo);
    if (byLink && first.get(to)!.parentHash !== expectedHash) first.set(check, await header(check, endpoint, signal));
    if (check !== null && first.has(check) && first.get(check)!.hash !== expectedHash) {
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

    if (from > head) {
      // Nothing new: confirmations still move only with new blocks, expiry is the expiry loop's.
      return { head, scannedTo: cursor.blockNumber, caughtUp: true, reorgDepth: 0 };
    }
    const last = first.get(to)!;
    // The cost model counts transactions per block: a pushed header lists none, which is not zero.
    if (!pushedTo) nativeWatch.noteBlock(last);
    const windowFloor = Math.max(0, head - window + 1);
    // The window's newest headers are read (they date the chain's block time, for the stall
    // alert); the rest, in a catch-up, are learned by hash where the endpoint can say.
    const windowReadFrom = mode !== 'blocks' && ancestors.usable(endpoint) ? to - TIMED_WINDOW_BLOCKS : windowFloor;
    const hashedWindow: number[] = [];
    if (mode !== 'blocks')
      for (let n = Math.max(from + 1, windowFloor); n < Math.min(to, windowReadFrom); n++) hashedWindow.push(n);

    // Only now (after `last`) the logs; block reads run alongside them, a few requests in flight.
    // Balance-first reads the native side alongside them (it needs no log).
    const [{ headers, transfers }, nativeRead] = await Promise.all([
      readRange(
        { rpc, addressChunk, requestsInFlight },
        {
          watched,
          native: mode === 'blocks',
          from,
          to,
          last,
          windowFloor,
          windowReadFrom,
          endpoint,
          holdingHeaders: !ancestors.usable(endpoint),
        },
        signal,
      ),
      mode === 'balances'
        ? nativeWatch
            .read(
              {
                cursor,
                to,
                last,
                watched,
                endpoint,
                recheck: async () => (await header(to, endpoint, signal)).hash.toLowerCase(),
              },
              signal,
            )
            .catch((error: unknown) => {
              if (error instanceof StateUnavailableError) {
                // Pruned between the check and the probes: the next step's check decides again.
                nativeWatch.noState(cursor.blockNumber, error);
                throw new ScanRestartError(error.message);
              }
              if (error instanceof StaleRangeError) throw new ScanRestartError(error.message);
              throw error;
            })
        : null,
    ]);
    if (headers.get(to)!.hash !== last.hash) throw new ScanRestartError(`block ${to} changed while the step read it`);
    if (nativeRead) {
      for (const block of nativeRead.headers) headers.set(hexNumber(block.number), block);
      transfers.push(...nativeRead.transfers);
    }
    // The blocks holding transfers that no read brought (below the window): the traces' blocks,
    // and the logs' unless readRange read them. A block holding both an ERC-20 and a native
    // payment is read once.
    const unread = [
      ...new Set([...transfers.map((t) => t.blockNumber), ...(nativeRead?.traced ?? []).map((t) => t.blockNumber)]),
    ].filter((n) => !headers.has(n));
    const unreadWindow = hashedWindow.filter((n) => !headers.has(n));
    const known = await unreadBlocks(unread, transfers, unreadWindow, last, endpoint, signal);
    for (const [number, block] of known.headers) headers.set(number, block);
    // Window blocks known by hash: the same chain as the headers read above and below them.
    for (const [number, hash] of known.hashes) {
      const read = headers.get(number);
      const child = headers.get(number + 1);
      if ((read && read.hash !== hash) || (child && child.parentHash !== hash))
        throw new ScanRestartError(`block ${number}'s hash differs between two reads of the step`);
    }
    // Each one's parent is in the answer too (it asks for the block below the lowest).
    const hashedOnly = [...known.hashes]
      .filter(([number]) => number >= windowFloor && !headers.has(number))
      .map(([number, hash]) => ({ number, hash, parentHash: known.hashes.get(number - 1)!, time: null }));
    // A trace hash that differs means the chain moved between the reads: the step starts again.
    for (const t of nativeRead?.traced ?? [])
      if (headers.get(t.blockNumber)?.hash !== t.blockHash.toLowerCase())
        throw new ScanRestartError(`a trace in block ${t.blockNumber} carries another block's hash`);

    // Consistency: the range hangs off our cursor, headers link up, logs sit in those blocks.
    const firstBlock = headers.get(from)!;
    if (cursor.blockHash && firstBlock.parentHash !== cursor.blockHash) {
      if (store.recentBlocks.get(chainId, cursor.blockNumber)?.hash === cursor.blockHash && rpc.endpointsAt(from).length > 1)
        distrust(endpoint, 'parent hash mismatch');
      throw new ScanRestartError(`block ${from} does not link to the scanned block ${cursor.blockNumber}`);
    }
    for (const [number, block] of headers) {
      const parent = headers.get(number - 1);
      if (parent && block.parentHash !== parent.hash) {
        distrust(endpoint, 'headers do not link');
        throw new ScanRestartError(`blocks ${number - 1} and ${number} do not link`);
      }
    }
    for (const transfer of transfers) {
      if (headers.get(transfer.blockNumber)?.hash !== transfer.blockHash) {
        distrust(endpoint, 'log block hash mismatch');
        throw new ScanRestartError(`a log in block ${transfer.blockNumber} carries another block's hash`);
      }
    }
    await crossCheck(transfers, headers, to, endpoint, cursor, signal);

    if (!commit(cursor, to, last.hash, transfers, watched, headers, windowFloor, nativeRead, hashedOnly))
      throw new ScanRestartError('the cursor moved (rescan?)');
    idleChecked = { hash: last.hash, at: clock.now() };
    if (transfers.length > 0) logger.info({ from, to, transfers: transfers.length }, 'payments found');
    deps.published();
    span.record(to - from + 1, performance.now() - started);
    return { head, scannedTo: to, caughtUp: to >= head, reorgDepth: 0 };
  }

  return { step, handleReorg, nativeDetection: () => nativeWatch.status() };
}
export type ChainScanner = ReturnType<typeof createChainScanner>;
