import type { Store } from '../db/store.ts';
import type { BalanceSnapshot } from '../db/repositories/native-balances-repo.ts';
import type { RpcPool } from '../chains/rpc/rpc-pool.ts';
import type { NativeDetection, NativeDetectionStatus } from '../../../shared/domain.ts';
import { createBalanceProbe, StateUnavailableError, type BlockRef } from './balance-probe.ts';
import { blockBatchTasks, headerOf } from './block-batches.ts';
import { transfersFromBlocks, type Transfer, type Watched } from './match-transfers.ts';
import { changedBalances, locateChanges } from './native-changes.ts';
import { runLimited } from './run-limited.ts';
import type { RpcBlock } from './rpc-types.ts';
import { createTraceReader } from './trace-credits.ts';

export { StateUnavailableError };

/** A credit no top-level transaction explains: native coin sent by a contract. */
export interface InternalCredit {
  address: string;
  /** The transaction it happened in, when the call traces named it. */
  txHash?: string;
  blockNumber: number;
  amount: bigint;
  /** The address's balance after that block. */
  balanceAfter: bigint;
}

export interface NativeRead {
  transfers: Transfer[];
  /** Headers of the blocks read for their bodies. */
  headers: RpcBlock[];
  /**
   * Blocks the call traces named (number and the hash the trace carries), whose headers were not
   * read here: the step reads those its other reads did not (a block holding an ERC-20 payment
   * too is read once) and checks each hash before anything is committed.
   */
  traced: { blockNumber: number; blockHash: string }[];
  internal: InternalCredit[];
  /** Balances to store with the step (changed and newly read ones), and whether they replace the rows. */
  balances: Map<string, bigint>;
  replace: boolean;
}

interface Cursor {
  blockNumber: number;
  blockHash: string;
}

/** Rough JSON sizes, only to compare the two methods' costs. */
const HEADER_BYTES = 700;
const TX_BYTES = 600;
const TX_HASH_BYTES = 69;
const PROBE_BYTES = 250;
const BALANCES_REASON = 'balances are compared each step; only the blocks where one changed are read';
const TRACES_REASON = 'balances are compared each step; a change is found in the call traces (trace_filter)';

/**
 * Balance-first native detection for one chain (see docs/ARCHITECTURE.md, "Native-coin
 * detection"): the balances of the watched native deposit addresses at the cursor block are kept
 * in the store; a step compares them with digests at its last block, narrows a change down to
 * its addresses, locates it in time by bisection on historical balances, and reads only the
 * bodies of the blocks where a balance changed. It also decides, per step, whether that or
 * reading every block body is cheaper, and says why.
 */
export function createNativeBalanceWatch(deps: { chainId: number; store: Store; rpc: RpcPool }, requestsInFlight: number) {
  const { chainId, store, rpc } = deps;
  const probe = createBalanceProbe(rpc);
  const traceCredits = createTraceReader(rpc);
  let status: NativeDetectionStatus | null = null;
  // Running figures for the cost choice: transactions per block, balance changes per block.
  let txPerBlock = 0;
  let changesPerBlock = 0;
  let cached: BalanceSnapshot | undefined;
  // Whether each endpoint answers trace_filter (unknown until asked).
  const traces = new Map<string, boolean>();

  const setStatus = (mode: 'balances' | 'blocks', reason: string, endpoint?: string) => {
    status = { mode, reason, balanceReads: endpoint ? (probe.methodFor(endpoint) ?? null) : null };
  };

  return {
    status: (): NativeDetectionStatus | null => status,

    /** Transactions in a block this chain makes, from a header that listed them (see headerOf). */
    noteBlock(block: RpcBlock): void {
      // A header that does not list its transactions says nothing about them.
      if (block.txCount === undefined) return;
      txPerBlock = txPerBlock === 0 ? block.txCount : txPerBlock * 0.8 + block.txCount * 0.2;
    },

    /** Which method the step over (cursor, cursor + span] should use. */
    plan(setting: NativeDetection, cursor: Cursor, span: number, endpoint: string): 'balances' | 'blocks' {
      if (setting === 'blocks') {
        setStatus('blocks', 'set to block bodies in the chain settings');
        return 'blocks';
      }
      if (cursor.blockNumber < 0) {
        // Nothing is "before" the genesis block, whose allocations would all look like payments.
        setStatus('blocks', 'the scan starts at the genesis block');
        return 'blocks';
      }
      if (setting === 'auto') {
        const cost = locateCost({ changesPerBlock, txPerBlock, span, traces: traces.get(endpoint) === true });
        if (cost.bodiesCheaper) {
          setStatus(
            'blocks',
            `about ${Math.round(changesPerBlock * 1000)} balance changes per 1,000 blocks: locating each costs more than reading every block body`,
          );
          return 'blocks';
        }
      }
      return 'balances';
    },

    /**
     * Before a step that has no stored balances at its cursor (the first one, after a reorg, a
     * rescan or steps over block bodies): one balance read at the cursor block tells whether the
     * endpoint still has the state balance-first needs (the later blocks' is newer). Throws
     * StateUnavailableError when it does not; no read at all while the stored balances are valid.
     */
    async checkState(cursor: Cursor, endpoint: string, signal: AbortSignal): Promise<void> {
      const stored = store.nativeBalances.get(chainId, { withBalances: false });
      if (stored && cursor.blockHash !== '' && stored.blockNumber === cursor.blockNumber && stored.blockHash === cursor.blockHash)
        return;
      const at: BlockRef = cursor.blockHash ? { blockHash: cursor.blockHash } : cursor.blockNumber;
      await probe.balances(['0x0000000000000000000000000000000000000000'], at, { endpoint, signal });
    },

    /** The endpoint could not serve the state of a block balance-first needs: this step reads block bodies. */
    noState(block: number, error: StateUnavailableError): void {
      setStatus('blocks', `the RPC endpoint keeps no state for block ${block} (pruned history: ${error.message})`);
    },

    /**
     * Native transfers in (cursor, to], after the step's `last` header was read (and checked):
     * balances at the cursor (stored, or read now), changed addresses at `to`, their blocks, and
     * those blocks' bodies. `recheck(to)` must return the hash of block `to` as the endpoint sees
     * it after the probes, so a reorg during them restarts the step instead of locating changes
     * on another fork. Throws StateUnavailableError when the endpoint has pruned a needed state.
     */
    async read(
      step: {
        cursor: Cursor;
        to: number;
        last: RpcBlock;
        watched: Map<string, Watched>;
        endpoint: string;
        recheck: () => Promise<string>;
      },
      signal: AbortSignal,
    ): Promise<NativeRead> {
      const { cursor, to, last, watched, endpoint } = step;
      const options = { endpoint, signal };
      // Token invoices' addresses too: native coin sent to one is a wrong_token alert, as when every body is read.
      const addresses = [...watched.keys()];
      // The rows as this scanner last wrote them, unless the store's snapshot moved since (a
      // failed commit, another process): 10,000 rows are not read back from SQLite every block.
      const current = store.nativeBalances.get(chainId, { withBalances: false });
      const stored =
        current && cached?.blockNumber === current.blockNumber && cached.blockHash === current.blockHash
          ? cached
          : store.nativeBalances.get(chainId);
      const valid =
        stored !== undefined &&
        cursor.blockHash !== '' &&
        stored.blockNumber === cursor.blockNumber &&
        stored.blockHash === cursor.blockHash;
      const known = valid ? stored.balances : new Map<string, bigint>();
      const missing = addresses.filter((address) => !known.has(address));
      const at: BlockRef = cursor.blockHash ? { blockHash: cursor.blockHash } : cursor.blockNumber;
      const read = await probe.balances(missing, at, options);
      const fresh = new Map(missing.map((address, i) => [address, read[i]!]));
      const before = addresses.map((address) => known.get(address) ?? fresh.get(address)!);

      const changes = await changedBalances(probe, addresses, before, { blockHash: last.hash }, options);
      const balances = new Map(fresh);
      for (const change of changes) balances.set(change.address, change.after);
      // What the store will hold once the step commits; trusted only if it then does.
      const all = valid ? stored.balances : new Map<string, bigint>();
      for (const [address, balance] of balances) all.set(address, balance);
      cached = { blockNumber: to, blockHash: last.hash, balances: all };
      const span = Math.max(1, to - cursor.blockNumber);
      if (changes.length === 0) {
        // The digests are pinned to `last`'s hash: nothing changed on the chain this step commits.
        changesPerBlock *= 0.5;
        // A quiet step says nothing new about how changes are located: the reason stays what it was.
        setStatus('balances', traces.get(endpoint) === true ? TRACES_REASON : BALANCES_REASON, endpoint);
        return { transfers: [], headers: [], traced: [], internal: [], balances, replace: !valid };
      }

      const transfers: Transfer[] = [];
      const headers: RpcBlock[] = [];
      const internal: InternalCredit[] = [];
      const afterOf = new Map(changes.map((change) => [change.address, change.after]));

      // Where the endpoint offers trace_filter, the traces name each credit's transaction. An
      // increase they do not explain (a block reward, a withdrawal, a self-destruct) is located
      // by bisection like everything else on an endpoint without traces.
      let bisect = changes;
      const tracedBlocks: NativeRead['traced'] = [];
      const traced =
        traces.get(endpoint) === false
          ? null
          : await traceCredits(
              changes.map((c) => c.address),
              cursor.blockNumber + 1,
              to,
              options,
            );
      traces.set(endpoint, traced !== null);
      if (traced) {
        const credited = new Map<string, bigint>();
        for (const t of [...traced.payments, ...traced.internal]) credited.set(t.to, (credited.get(t.to) ?? 0n) + t.amount);
        bisect = changes.filter((c) => c.after > c.before && (credited.get(c.address) ?? 0n) < c.after - c.before);
        transfers.push(...traced.payments);
        for (const t of traced.internal)
          internal.push({
            address: t.to,
            txHash: t.txHash,
            blockNumber: t.blockNumber,
            amount: t.amount,
            balanceAfter: afterOf.get(t.to)!,
          });
        for (const t of [...traced.payments, ...traced.internal])
          tracedBlocks.push({ blockNumber: t.blockNumber, blockHash: t.blockHash });
      }

      const located = await locateChanges(probe, bisect, cursor.blockNumber, to, { ...options, requestsInFlight });
      if ((await step.recheck()) !== last.hash) throw new StaleRangeError(`block ${to} changed while its balances were probed`);

      const numbers = [...located.keys()].sort((a, b) => a - b);
      const alreadyTraced = new Set(transfers.map((t) => `${t.txHash}:${t.to}`));
      const fromBodies: Transfer[] = [];
      await runLimited(
        blockBatchTasks(rpc, numbers, { full: true, endpoint }, (blocks) => {
          for (const t of transfersFromBlocks(blocks, watched)) if (!alreadyTraced.has(`${t.txHash}:${t.to}`)) fromBodies.push(t);
          for (const block of blocks) headers.push(headerOf(block));
        }),
        requestsInFlight,
        signal,
      );
      for (const number of numbers) {
        for (const change of located.get(number)!) {
          if (change.after <= change.before) continue;
          // Credits the traces already named (payments and internal transfers) are explained.
          const seen = [...transfers, ...fromBodies, ...(traced?.internal ?? [])]
            .filter((t) => t.blockNumber === number && t.to === change.address)
            .reduce((sum, t) => sum + t.amount, 0n);
          const unexplained = change.after - change.before - seen;
          if (unexplained > 0n)
            internal.push({ address: change.address, blockNumber: number, amount: unexplained, balanceAfter: change.after });
        }
      }
      transfers.push(...fromBodies);
      transfers.sort((a, b) => a.blockNumber - b.blockNumber);

      const blocksRead = new Set([...transfers, ...internal].map((t) => t.blockNumber)).size;
      changesPerBlock = changesPerBlock * 0.5 + (blocksRead / span) * 0.5;
      setStatus('balances', traced ? TRACES_REASON : BALANCES_REASON, endpoint);

      return { transfers, headers, traced: tracedBlocks, internal, balances, replace: !valid };
    },
  };
}
export type NativeBalanceWatch = ReturnType<typeof createNativeBalanceWatch>;

/**
 * The choice `auto` makes, in bytes per block: locating the expected balance changes (with traces
 * a change costs its block's header, hashes only; by bisection the probes and its body) against
 * reading every body. Balance-first keeps the step when it costs under half the bodies, so a
 * rough estimate on either side does not flip it back and forth.
 */
export function locateCost(figures: { changesPerBlock: number; txPerBlock: number; span: number; traces: boolean }) {
  const bodyBytes = HEADER_BYTES + figures.txPerBlock * TX_BYTES;
  const perChange = figures.traces
    ? HEADER_BYTES + figures.txPerBlock * TX_HASH_BYTES + PROBE_BYTES
    : bodyBytes + Math.log2(Math.max(2, figures.span)) * PROBE_BYTES;
  const locateBytes = figures.changesPerBlock * perChange;
  return { bodyBytes, locateBytes, bodiesCheaper: locateBytes > bodyBytes / 2 };
}

/** The chain moved under the step: step again. */
export class StaleRangeError extends Error {}
