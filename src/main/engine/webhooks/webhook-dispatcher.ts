import { isoTime } from '../lib/clock.ts';
import { TillError } from '../lib/errors.ts';
import type { WebhookEndpointRecord } from '../db/repositories/webhook-endpoints-repo.ts';
import {
  attemptEnded,
  attemptJob,
  claimAttempt,
  raiseDeadAlert,
  recordAttempt,
  recoverAbandonedAttempts,
  withdrawAttempt,
  type AttemptDeps,
  type ClaimedAttempt,
  type FinishedAttempt,
} from './attempt-delivery.ts';
import { fanOutEvents } from './fan-out.ts';
import { createInlineSender, NOT_SENT } from './webhook-sender.ts';
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
 * Claims per endpoint, in multiples of its maxConcurrency: enough waiting on the lane to keep it
 * busy through this loop's look and commit under load. At twice, a quarter of the answers in
 * bench:webhooks found the lane empty (the next claim still on its way); at four times, one in
 * twenty. The cost: after a kill -9, every claim (out or not) shows as an interrupted attempt.
 */
export const CLAIM_DEPTH = 4;

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
 * The requests go out through the sender (on a worker thread in till serve and the app), one lane
 * per endpoint that lets `maxConcurrency` out at once; this loop claims up to CLAIM_DEPTH times as
 * many (the rest wait on the lane), so each answer starts the endpoint's next request at once
 * instead of waiting for a look and its commit. A claim that never went out (its lane withdrawn:
 * the endpoint disabled, a 410 answer, Till stopping) is withdrawn from the store as if it had
 * never been made.
 *
 * Head-of-line: endpoints have separate lanes, so a slow one never holds back another; on one
 * endpoint, deliveries of different invoices run side by side, and only deliveries of the same
 * invoice wait for each other (the store's `due` query keeps their sequence order; a delivery's
 * result is committed before the look that asks `due` for its successor).
 */
export function createWebhookDispatcher(deps: WebhookDispatcherDeps) {
  const { store, clock, logger } = deps;
  const idleMs = deps.idleMs ?? 1_000;
  /**
   * Per endpoint, attempts claimed whose result is not committed yet: up to CLAIM_DEPTH ×
   * maxConcurrency — as many out as the endpoint's lane lets go at once, the others claimed
   * ahead, waiting on the lane. An answer starts the next of those at once, where the requests
   * are sent, so an endpoint never waits for this loop's next look and commit (what bounded the
   * rate before).
   */
  const busy = new Map<string, number>();
  const sender = deps.sender ?? createInlineSender();
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
    const ended = (outcome: Parameters<typeof attemptEnded>[2]) => {
      answered.push(attemptEnded(claimed, clock.now(), outcome, signal.aborted));
      wake();
    };
    const job = attemptJob(deps, claimed);
    // Claimed as Till began to stop: it never goes out (the run's abort has already emptied the lanes).
    if (signal.aborted) ended(NOT_SENT);
    else if (job === null) ended(null);
    else sender.submit({ key: endpointId, limit: claimed.endpoint.maxConcurrency }, job, ended);
  }

  /** Attempts that no longer count as this process's: their results are committed (or given up), or their claims withdrawn. */
  function release(batch: FinishedAttempt[]): void {
    for (const { claimed } of batch) {
      const endpointId = claimed.endpoint.id;
      busy.set(endpointId, busy.get(endpointId)! - 1);
      allInFlight.delete(claimed.delivery.id);
    }
  }

  /** A finished attempt's record: its result, or (it never went out) the withdrawal of its claim. Call inside a write transaction. */
  function close(finished: FinishedAttempt): ReturnType<typeof recordAttempt> | 'withdrawn' {
    if (!finished.notSent) return recordAttempt(deps, finished);
    withdrawAttempt(store, finished.claimed, finished.finishedMs);
    return 'withdrawn';
  }

  /**
   * When the look's transaction failed (and with it the batch's results): each result in a
   * transaction of its own, so one that cannot be written does not hold back the others. One
   * that still fails stays `sending` on disk and goes out again when its lease ends.
   */
  function recordEachAlone(batch: FinishedAttempt[]): void {
    for (const finished of batch) {
      try {
        store.write(() => close(finished));
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
      CLAIM_DEPTH * endpoint.maxConcurrency - (busy.get(endpoint.id) ?? 0) + (freeing.get(endpoint.id) ?? 0);

    // A locked vault: try again now and then rather than spin on the same failure (results are
    // still recorded). A full endpoint is woken when one of its attempts ends; asking the store
    // now would only find what it cannot launch (under load `due` is the dispatcher's main query).
    const sendNow = !signal.aborted && !(blocked !== null && Date.now() < blockedUntil);
    const endpoints = store.webhookEndpoints.list();
    const open = sendNow ? endpoints.filter((endpoint) => endpoint.enabled && free(endpoint) > 0) : [];
    // Claims waiting on the lane of an endpoint that was disabled or deleted meanwhile (the
    // operator, another process) are taken back: they come back not sent, and are withdrawn.
    const enabled = new Set(endpoints.filter((endpoint) => endpoint.enabled).map((endpoint) => endpoint.id));
    for (const [endpointId, count] of busy) if (count > 0 && !enabled.has(endpointId)) sender.withdraw(endpointId);
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
        for (const finished of batch) if (close(finished) === 'gone') gone.add(finished.claimed.endpoint.id);
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
            const attempt = claimAttempt(store, delivery, startedMs);
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
      // (the transaction failed) were written one by one or given up to the lease recovery —
      // which also takes back a withdrawal that did not commit.
      release(batch);
    }
    for (const claimed of claims) launch(claimed, signal);
    if (batch.length > 0) deps.changed();
    // Never spin: a due delivery held back by ordering is looked at again when a slot frees.
    return woken ? 0 : Math.max(wait, 25);
  }

  /**
   * At shutdown: the attempts still out or waiting on their lanes see the abort — those that
   * never went out come back to be withdrawn, the others close as interrupted — and are recorded.
   */
  async function drain(): Promise<void> {
    while (allInFlight.size > 0) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      const batch = answered;
      answered = [];
      if (batch.length === 0) continue;
      try {
        store.write(() => {
          for (const finished of batch) close(finished);
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
      // One listener for every attempt: at the abort, what waits on the lanes comes back not sent
      // (withdrawn), what is out is cancelled (closed as interrupted).
      const stop = () => sender.abort();
      signal.addEventListener('abort', stop, { once: true });
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
      signal.removeEventListener('abort', stop);
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
