import { isoTime } from '../lib/clock.ts';
import { TillError } from '../lib/errors.ts';
import type { WebhookEndpointRecord } from '../db/repositories/webhook-endpoints-repo.ts';
import {
  claimAttempt,
  raiseDeadAlert,
  recordAttempt,
  recoverAbandonedAttempts,
  sendAttempt,
  type AttemptDeps,
  type ClaimedAttempt,
  type FinishedAttempt,
} from './attempt-delivery.ts';
import { fanOutEvents } from './fan-out.ts';
import { DELIVERY_WINDOW_MS, RETRY_HOURLY_MS } from './retry-schedule.ts';

export interface WebhookDispatcherDeps extends AttemptDeps {
  /** Deliveries changed (for the UI). */
  changed(): void;
  /** Longest idle wait between looks at the store (deliveries another process queued). Default 1 s. */
  idleMs?: number;
}

export interface DispatcherStatus {
  /** Why nothing is being sent, when that is so (e.g. the keystore is locked). */
  blocked: string | null;
  inFlight: number;
}

const HOUSEKEEPING_MS = 60_000;
const RECOVERY_MS = 1_000;
const BLOCKED_RETRY_MS = 10_000;
const FAR_FUTURE = '9999-12-31T23:59:59.999Z';

/**
 * The webhook loop: fans outbox events out to deliveries, and keeps up to `maxConcurrency`
 * attempts out per endpoint. Everything it knows is on disk — deliveries, their next attempt
 * times, leases — so a restart simply carries on; in memory it keeps only the attempts it has
 * out right now, and the results of those that answered since its last look.
 *
 * One look is one write transaction: it records the results that came in since the last look
 * (a group commit), then claims every delivery it is about to send (claim + attempt row with
 * the start time), and only after the commit sends them. So every attempt is on disk before it
 * goes out; its result is on disk at the next look, which the answer itself triggers (answers
 * that arrive in the same turn of the event loop share one look). A crash between an answer and
 * that commit leaves the delivery `sending` with its lease: after the lease ends it is sent
 * again — the at-least-once the receivers already dedupe for — never lost.
 *
 * Head-of-line: endpoints have separate slots, so a slow one never holds back another; on one
 * endpoint, deliveries of different invoices run side by side, and only deliveries of the same
 * invoice wait for each other (the store's `due` query keeps their sequence order; a delivery's
 * result is committed before the look that asks `due` for its successor).
 */
export function createWebhookDispatcher(deps: WebhookDispatcherDeps) {
  const { store, clock, logger } = deps;
  const idleMs = deps.idleMs ?? 1_000;
  /** Per endpoint, attempts claimed whose result is not committed yet: what counts against maxConcurrency. */
  const busy = new Map<string, number>();
  /** The same attempts by delivery id (the lease recovery leaves them alone). */
  const allInFlight = new Set<string>();
  /** Answered attempts waiting for the next look's commit. */
  let answered: FinishedAttempt[] = [];
  let wakeUp: (() => void) | undefined;
  /** A wake-up came while a look was running: look again without waiting. */
  let woken = false;
  let blocked: string | null = null;
  let blockedUntil = 0;
  let lastHousekeeping = 0;
  let lastRecovery = -Infinity;

  const wake = () => {
    woken = true;
    wakeUp?.();
  };

  function housekeeping(nowMs: number): void {
    const now = isoTime(nowMs);
    store.write(() => {
      store.webhookSecrets.dropExpired(now);
      // Deliveries that waited out the whole window without an attempt (their endpoint was
      // disabled, or Till was off) are given up too; attempts end theirs themselves, and the
      // hour of grace lets a last scheduled attempt go out first.
      const cutoff = isoTime(nowMs - DELIVERY_WINDOW_MS - RETRY_HOURLY_MS);
      const dead = store.webhookDeliveries.markTooOldDead(cutoff, now);
      const byEndpoint = new Map<string, number>();
      for (const delivery of dead) byEndpoint.set(delivery.endpointId, (byEndpoint.get(delivery.endpointId) ?? 0) + 1);
      for (const [endpointId, count] of byEndpoint) {
        const endpoint = store.webhookEndpoints.get(endpointId);
        if (endpoint) raiseDeadAlert(store, endpointId, endpoint.url, count, now);
      }
    });
  }

  function launch(claimed: ClaimedAttempt, signal: AbortSignal): void {
    const endpointId = claimed.endpoint.id;
    busy.set(endpointId, (busy.get(endpointId) ?? 0) + 1);
    allInFlight.add(claimed.delivery.id);
    void sendAttempt(deps, claimed, signal).then((finished) => {
      answered.push(finished);
      wake();
    });
  }

  /** The attempts of `batch` no longer count as this process's: their results are committed (or given up). */
  function release(batch: FinishedAttempt[]): void {
    for (const { claimed } of batch) {
      const endpointId = claimed.endpoint.id;
      busy.set(endpointId, busy.get(endpointId)! - 1);
      allInFlight.delete(claimed.delivery.id);
    }
  }

  /**
   * When the look's transaction failed (and with it the batch's results): each result in a
   * transaction of its own, so one that cannot be written does not hold back the others. One
   * that still fails stays `sending` on disk and goes out again when its lease ends.
   */
  function recordEachAlone(batch: FinishedAttempt[]): void {
    for (const finished of batch) {
      try {
        store.write(() => recordAttempt(deps, finished));
      } catch (error) {
        logger.error({ err: error, deliveryId: finished.claimed.delivery.id }, 'webhook attempt result not recorded');
      }
    }
  }

  /**
   * The secrets each endpoint with a free slot signs with, read before anything is claimed: a
   * locked vault must not cost a delivery an attempt.
   */
  async function signingSecrets(endpoints: WebhookEndpointRecord[], nowMs: number): Promise<Map<string, string[]>> {
    const signing = new Map<string, string[]>();
    for (const endpoint of endpoints) {
      try {
        signing.set(endpoint.id, await deps.secrets.activeSecrets(endpoint.id, nowMs));
        blocked = null;
      } catch (error) {
        if (error instanceof TillError && error.code.startsWith('VAULT')) {
          if (blocked === null) logger.warn({ reason: error.message }, 'webhooks wait: the keystore cannot be read');
          blocked = error.message;
          blockedUntil = Date.now() + BLOCKED_RETRY_MS;
          break;
        }
        logger.error({ err: error, endpointId: endpoint.id }, 'webhook secrets could not be read');
      }
    }
    return signing;
  }

  /**
   * The look's write: the answered attempts' results, then the claims for every free slot (secrets
   * read first). Returns the claimed attempts, to send once this has committed, and how long the
   * first delivery not yet due waits.
   */
  async function recordAndClaim(
    batch: FinishedAttempt[],
    nowMs: number,
    signal: AbortSignal,
  ): Promise<{ claims: ClaimedAttempt[]; wait: number }> {
    try {
      return await recordAndClaimIn(batch, nowMs, signal);
    } catch (error) {
      // The batch's results did not commit: each in a transaction of its own, then the error.
      recordEachAlone(batch);
      throw error;
    }
  }

  async function recordAndClaimIn(
    batch: FinishedAttempt[],
    nowMs: number,
    signal: AbortSignal,
  ): Promise<{ claims: ClaimedAttempt[]; wait: number }> {
    const freeing = new Map<string, number>();
    for (const { claimed } of batch) freeing.set(claimed.endpoint.id, (freeing.get(claimed.endpoint.id) ?? 0) + 1);
    const free = (endpoint: WebhookEndpointRecord) =>
      endpoint.maxConcurrency - (busy.get(endpoint.id) ?? 0) + (freeing.get(endpoint.id) ?? 0);

    // A locked vault: try again now and then rather than spin on the same failure (results are
    // still recorded). A full endpoint is woken when one of its attempts ends; asking the store
    // now would only find what it cannot launch (under load `due` is the dispatcher's main query).
    const sendNow = !signal.aborted && !(blocked !== null && Date.now() < blockedUntil);
    const open = sendNow ? store.webhookEndpoints.list().filter((endpoint) => endpoint.enabled && free(endpoint) > 0) : [];
    const signing = await signingSecrets(open, nowMs);

    let wait = idleMs;
    const claims: ClaimedAttempt[] = [];
    // With no result to record, take the write lock only when something is due: an idle look
    // (once a second, or a wake-up with nothing to send) stays a read.
    let write = batch.length > 0;
    for (const endpoint of write ? [] : open) {
      if (!signing.has(endpoint.id)) continue;
      const [next] = store.webhookDeliveries.due(endpoint.id, FAR_FUTURE, 1);
      if (!next) continue;
      const dueAt = Date.parse(next.nextAttemptAt!);
      if (dueAt <= nowMs) {
        write = true;
        break;
      }
      wait = Math.min(wait, dueAt - nowMs);
    }
    if (write) {
      store.write(() => {
        const gone = new Set<string>();
        for (const finished of batch) if (recordAttempt(deps, finished) === 'gone') gone.add(finished.claimed.endpoint.id);
        const startedMs = clock.now();
        for (const endpoint of open) {
          const secrets = signing.get(endpoint.id);
          if (!secrets || gone.has(endpoint.id)) continue;
          let slots = free(endpoint);
          // Deliveries free to go in order of their time, whether due yet or not: claim the due
          // ones while slots last, and time the wait by the first that is not due.
          for (const delivery of store.webhookDeliveries.due(endpoint.id, FAR_FUTURE, slots + 1)) {
            if (allInFlight.has(delivery.id)) continue;
            const dueAt = Date.parse(delivery.nextAttemptAt!);
            if (dueAt > nowMs) {
              wait = Math.min(wait, dueAt - nowMs);
              break;
            }
            if (slots <= 0) break;
            const body = deps.bodies.get(delivery.eventId);
            if (body === undefined) continue;
            const attempt = claimAttempt(store, delivery.id, startedMs);
            if (attempt === null) continue;
            claims.push({ delivery, endpoint, attempt, startedMs, body, secrets });
            slots--;
          }
        }
      });
    }
    return { claims, wait };
  }

  /** One look: returns how long to wait before the next one. */
  async function tick(signal: AbortSignal): Promise<number> {
    woken = false;
    const nowMs = clock.now();
    if (fanOutEvents(store, isoTime(nowMs)) > 0) deps.changed();
    // Leases last half a minute: looking for ended ones once a second (of the clock's time) is
    // plenty, rather than on every look under load.
    if (nowMs - lastRecovery >= RECOVERY_MS || nowMs < lastRecovery) {
      lastRecovery = nowMs;
      if (recoverAbandonedAttempts(store, nowMs, allInFlight) > 0) deps.changed();
    }
    if (nowMs - lastHousekeeping >= HOUSEKEEPING_MS) {
      lastHousekeeping = nowMs;
      housekeeping(nowMs);
    }
    const batch = answered;
    answered = [];
    let claims: ClaimedAttempt[];
    let wait: number;
    try {
      ({ claims, wait } = await recordAndClaim(batch, nowMs, signal));
    } finally {
      // Whatever happened, the batch is this process's no more: its results are on disk, or
      // (the transaction failed) were written one by one or given up to the lease recovery.
      release(batch);
    }
    for (const claimed of claims) launch(claimed, signal);
    if (batch.length > 0) deps.changed();
    // Never spin: a due delivery held back by ordering is looked at again when a slot frees.
    return woken ? 0 : Math.max(wait, 25);
  }

  /** At shutdown: the results of attempts still out (they see the abort and close as interrupted). */
  async function drain(): Promise<void> {
    while (allInFlight.size > 0) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      const batch = answered;
      answered = [];
      if (batch.length === 0) continue;
      try {
        store.write(() => {
          for (const finished of batch) recordAttempt(deps, finished);
        });
      } catch {
        recordEachAlone(batch);
      } finally {
        release(batch);
      }
    }
  }

  return {
    async run(signal: AbortSignal): Promise<void> {
      let backoff = 500;
      while (!signal.aborted) {
        let wait: number;
        try {
          wait = await tick(signal);
          backoff = 500;
        } catch (error) {
          logger.error({ err: error }, 'webhook dispatcher step failed');
          wait = backoff;
          backoff = Math.min(backoff * 2, 30_000);
        }
        // A plain timer rather than an AbortController per wait: the loop waits once per
        // delivery under load, and aborting a controller builds a DOMException each time.
        await new Promise<void>((resolve) => {
          let settled = false;
          const done = () => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            signal.removeEventListener('abort', done);
            wakeUp = undefined;
            resolve();
          };
          // Wake-ups in one turn of the event loop (several attempts answered together) make one
          // look, after that turn's I/O: so their results are committed together.
          wakeUp = () => {
            wakeUp = undefined;
            setImmediate(done);
          };
          const timer = setTimeout(done, wait);
          signal.addEventListener('abort', done, { once: true });
          if (woken) wakeUp();
        });
      }
      await drain();
    },
    /** Look now: an event was written, a delivery queued, an attempt answered, or (in tests) the clock moved. */
    wake,
    status(): DispatcherStatus {
      return { blocked, inFlight: allInFlight.size };
    },
  };
}
export type WebhookDispatcher = ReturnType<typeof createWebhookDispatcher>;
