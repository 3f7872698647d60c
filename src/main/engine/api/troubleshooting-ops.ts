import type { Alert, Chain } from '../../../shared/domain.ts';
import type { Store } from '../db/store.ts';
import { isoTime, type Clock } from '../lib/clock.ts';
import { TillError } from '../lib/errors.ts';

/** Every operator action goes through here and into the operator log: who, when, what. */
export interface Operator {
  actor: string;
}

function requireChain(store: Store, chainId: number): Chain {
  const chain = store.chains.get(chainId);
  if (!chain) throw new TillError('CHAIN_NOT_FOUND', `Chain ${chainId} is not configured.`);
  return chain;
}

/**
 * Moves the chain's scan position back to `fromBlock`. Works whether or not a scanner is
 * running (it reads the cursor every step and refuses to commit over a moved cursor); payments
 * are unique by (chain, tx, log index), so a rescan never counts one twice.
 */
export function rescanChain(
  store: Store,
  clock: Clock,
  operator: Operator,
  input: { chainId: number; fromBlock: number },
): { chainId: number; fromBlock: number } {
  requireChain(store, input.chainId);
  const now = isoTime(clock.now());
  store.write(() => {
    const cursor = store.scanCursors.get(input.chainId);
    if (cursor && input.fromBlock > cursor.blockNumber + 1) {
      throw new TillError(
        'VALIDATION_FAILED',
        `Block ${input.fromBlock} is past the last scanned block ${cursor.blockNumber}: skipping blocks could miss payments. Choose a block at or below ${cursor.blockNumber + 1}.`,
      );
    }
    // The hash of the block below is unknown until the scanner reads it again: '' skips that one check.
    store.scanCursors.set(input.chainId, input.fromBlock - 1, '', now);
    store.recentBlocks.deleteAbove(input.chainId, input.fromBlock - 1);
    store.operatorLog.record(
      {
        actor: operator.actor,
        action: 'chain.rescan',
        target: `chain:${input.chainId}`,
        details: { fromBlock: input.fromBlock, previousCursor: cursor?.blockNumber ?? null },
      },
      now,
    );
  });
  return input;
}

export function setChainPaused(store: Store, clock: Clock, operator: Operator, chainId: number, paused: boolean): Chain {
  requireChain(store, chainId);
  const now = isoTime(clock.now());
  store.write(() => {
    store.chains.setPaused(chainId, paused, now);
    store.operatorLog.record(
      { actor: operator.actor, action: paused ? 'chain.pause' : 'chain.resume', target: `chain:${chainId}`, details: null },
      now,
    );
  });
  return requireChain(store, chainId);
}

export function acknowledgeAlert(store: Store, clock: Clock, operator: Operator, id: string): Alert {
  const alert = store.alerts.get(id);
  if (!alert) throw new TillError('ALERT_NOT_FOUND', `No alert with id ${id.slice(0, 64)}.`);
  if (alert.acknowledgedAt) return alert;
  const now = isoTime(clock.now());
  store.write(() => {
    store.alerts.acknowledge(id, operator.actor, now);
    store.operatorLog.record(
      { actor: operator.actor, action: 'alert.acknowledge', target: id, details: { type: alert.type } },
      now,
    );
  });
  return store.alerts.get(id)!;
}
