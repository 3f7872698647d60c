import type { BalanceProbe, BlockRef } from './balance-probe.ts';
import { ADDRESSES_PER_CALL, digestOf } from './balance-probe.ts';
import { runLimited, type ScanTask } from './run-limited.ts';

export interface BalanceChange {
  address: string;
  before: bigint;
  after: bigint;
}

interface ProbeOptions {
  endpoint: string;
  signal: AbortSignal;
  /** Requests kept in flight while locating. */
  requestsInFlight: number;
}

/** Group sizes of the narrowing, widest first; each divides ADDRESSES_PER_CALL (groups never span two calls). */
const GROUPS = [ADDRESSES_PER_CALL, 50];

/**
 * The addresses whose balance at `at` differs from `before` (the balances at the cursor block),
 * found without listing every balance: one 32-byte digest per 2,000 addresses, then per 50 inside
 * a group whose digest changed, then the balances of the groups of 50 that changed. With nothing
 * changed that is one call per 2,000 addresses; each changed address adds about two groups' worth.
 */
export async function changedBalances(
  probe: BalanceProbe,
  addresses: string[],
  before: bigint[],
  at: BlockRef,
  options: Omit<ProbeOptions, 'requestsInFlight'>,
): Promise<BalanceChange[]> {
  let candidates = addresses.map((address, i) => ({ address, before: before[i]! }));
  for (const size of GROUPS) {
    if (candidates.length === 0) return [];
    const digests = await probe.digests(
      candidates.map((c) => c.address),
      size,
      at,
      options,
    );
    const next: typeof candidates = [];
    digests.forEach((digest, group) => {
      const members = candidates.slice(group * size, (group + 1) * size);
      if (digest !== digestOf(members.map((m) => m.before))) next.push(...members);
    });
    candidates = next;
  }
  const after = await probe.balances(
    candidates.map((c) => c.address),
    at,
    options,
  );
  return candidates
    .map((c, i) => ({ address: c.address, before: c.before, after: after[i]! }))
    .filter((c) => c.after !== c.before);
}

interface Segment {
  /** Balances are known at `lo` and `hi`; the changes lie in (lo, hi]. */
  lo: number;
  hi: number;
  changes: BalanceChange[];
}

/**
 * The blocks in (from, to] where each changed address's balance changed, by bisection on
 * historical balances: a segment's middle block is probed for the addresses that differ between
 * its ends; each half keeps the addresses that differ between its own ends. All segments of one
 * depth are probed together. Returns block → addresses changed in it, with the balance before
 * and after that block.
 *
 * Limit: an address whose balance leaves a value and comes back to it inside one segment (paid
 * 5, then exactly 5 sent out) shows no difference there and is not descended into. Till's own
 * sweeps empty an address, so they cannot hide a payment that way.
 */
export async function locateChanges(
  probe: BalanceProbe,
  changes: BalanceChange[],
  from: number,
  to: number,
  options: ProbeOptions,
): Promise<Map<number, BalanceChange[]>> {
  const located = new Map<number, BalanceChange[]>();
  let level: Segment[] = changes.length > 0 ? [{ lo: from, hi: to, changes }] : [];
  while (level.length > 0) {
    const next: Segment[] = [];
    const tasks: ScanTask[] = [];
    for (const segment of level) {
      if (segment.hi - segment.lo === 1) {
        located.set(segment.hi, [...(located.get(segment.hi) ?? []), ...segment.changes]);
        continue;
      }
      tasks.push(async (signal) => {
        const mid = segment.lo + Math.floor((segment.hi - segment.lo) / 2);
        const atMid = await probe.balances(
          segment.changes.map((c) => c.address),
          mid,
          { endpoint: options.endpoint, signal },
        );
        const left: BalanceChange[] = [];
        const right: BalanceChange[] = [];
        segment.changes.forEach((change, i) => {
          const middle = atMid[i]!;
          if (middle !== change.before) left.push({ address: change.address, before: change.before, after: middle });
          if (middle !== change.after) right.push({ address: change.address, before: middle, after: change.after });
        });
        if (left.length > 0) next.push({ lo: segment.lo, hi: mid, changes: left });
        if (right.length > 0) next.push({ lo: mid, hi: segment.hi, changes: right });
      });
    }
    await runLimited(tasks, options.requestsInFlight, options.signal);
    level = next;
  }
  return located;
}
