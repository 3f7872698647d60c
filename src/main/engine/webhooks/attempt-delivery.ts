import type { Logger } from 'pino';
import type { Store } from '../db/store.ts';
import type { WebhookDeliveryRecord } from '../db/repositories/webhook-deliveries-repo.ts';
import type { WebhookEndpointRecord } from '../db/repositories/webhook-endpoints-repo.ts';
import { isoTime, type Clock } from '../lib/clock.ts';
import { newId } from '../lib/ids.ts';
import { redactUrl } from '../chains/rpc/redact-url.ts';
import { nextAttemptAfterFailure } from './retry-schedule.ts';
import { WEBHOOK_TIMEOUT_MS, type SendResult } from './send-webhook.ts';
import { createInlineSender, NOT_SENT, sendOne, type SendJob, type WebhookSender } from './webhook-sender.ts';
import type { LaneOutcome } from './send-lanes.ts';
import type { WebhookBodyCache } from './webhook-payload.ts';
import type { WebhookSecretBox } from './webhook-secrets.ts';

/** How long an attempt may be out before another process (or this one after a crash) takes it back. */
export const ATTEMPT_LEASE_MS = WEBHOOK_TIMEOUT_MS + 20_000;

const INTERRUPTED = 'interrupted: Till stopped during this attempt';
const NO_SECRET = 'no signing secret: rotate the endpoint’s secret to issue one';
/** An endpoint without a secret cannot be fixed by retrying at once: look again in a minute. */
const NO_SECRET_RETRY_MS = 60_000;

export interface AttemptDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  secrets: WebhookSecretBox;
  bodies: WebhookBodyCache;
  version: string;
  random?: () => number;
  timeoutMs?: number;
  /** How the dispatcher's requests go out (on a worker, per endpoint lane); one-shot attempts go from this thread. */
  sender?: WebhookSender;
}

const oneShotSender = createInlineSender();
/** From how long a wait on the lane an attempt's start is moved to when it went out. */
const LANE_WAIT_SHOWN_MS = 1_000;

export type AttemptOutcome = 'succeeded' | 'failed' | 'dead' | 'gone' | 'skipped';

/** An attempt whose start is on disk (the delivery claimed, its attempt row written), about to be sent. */
export interface ClaimedAttempt {
  delivery: WebhookDeliveryRecord;
  endpoint: WebhookEndpointRecord;
  attempt: number;
  startedMs: number;
  body: string;
  /** The secrets that sign it, newest first; none means it cannot be sent. */
  secrets: string[];
}

/** A sent (or abandoned) attempt whose result is not on disk yet. */
export interface FinishedAttempt {
  claimed: ClaimedAttempt;
  finishedMs: number;
  /** What the endpoint answered; null when the attempt ended without a send result. */
  result: SendResult | null;
  /** Why it ended without a send result (Till stopping, no secret); it is due again at once. */
  interrupted: string | null;
  /** It never went out (taken back before its turn on the endpoint's lane): its claim is to be withdrawn, not recorded. */
  notSent: boolean;
}

/**
 * Claims a delivery for one attempt and writes the attempt's row with its start time. Call inside
 * a write transaction, and send only after it commits. Returns the attempt number, or null when
 * the delivery is not due or not open (another process, or an operator, got there first).
 */
export function claimAttempt(
  store: Store,
  delivery: Pick<WebhookDeliveryRecord, 'id' | 'attempts'>,
  startedMs: number,
): number | null {
  const number = store.webhookDeliveries.claim(delivery, isoTime(startedMs), isoTime(startedMs + ATTEMPT_LEASE_MS));
  if (number !== null) store.webhookAttempts.start(delivery.id, number, isoTime(startedMs));
  return number;
}

/**
 * Takes back a claim that was never sent (Till stopping, or its endpoint answered 410 before its
 * turn came): the delivery is as it was before, and the log shows no attempt. Call inside a write
 * transaction.
 */
export function withdrawAttempt(store: Store, claimed: ClaimedAttempt, nowMs: number): void {
  if (store.webhookDeliveries.withdraw(claimed.delivery.id, claimed.attempt, isoTime(nowMs)))
    store.webhookAttempts.withdraw(claimed.delivery.id, claimed.attempt);
}

/** The request of a claimed attempt (signed where it is sent); null when it has no secret to sign with. */
export function attemptJob(deps: Pick<AttemptDeps, 'version' | 'timeoutMs'>, claimed: ClaimedAttempt): SendJob | null {
  const { delivery, secrets, body } = claimed;
  if (secrets.length === 0) return null;
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'User-Agent': `Till/${deps.version}`,
    'Till-Event-Id': delivery.eventId,
    'Till-Event-Type': delivery.eventType,
    'Till-Delivery-Id': delivery.id,
  };
  if (delivery.redelivery) headers['Till-Redelivery'] = 'true';
  return {
    url: claimed.endpoint.url,
    body,
    headers,
    secrets,
    timestampSeconds: Math.floor(claimed.startedMs / 1000),
    timeoutMs: deps.timeoutMs,
  };
}

/**
 * What became of a claimed attempt, from what its sender said (`outcome`; null when it was never
 * handed to one: no secret). `aborted`: Till is stopping, so an error is an interruption.
 */
export function attemptEnded(
  claimed: ClaimedAttempt,
  finishedMs: number,
  outcome: LaneOutcome | Error | null,
  aborted: boolean,
): FinishedAttempt {
  if (outcome === null) return { claimed, finishedMs, result: null, interrupted: NO_SECRET, notSent: false };
  if (outcome === NOT_SENT) return { claimed, finishedMs, result: null, interrupted: null, notSent: true };
  // Stopped mid-send (or the sender stopped): close the attempt; it is due again at once.
  if (outcome instanceof Error)
    return { claimed, finishedMs, result: null, interrupted: aborted ? INTERRUPTED : outcome.message, notSent: false };
  return { claimed, finishedMs, result: outcome, interrupted: null, notSent: false };
}

/** Signs and sends a claimed attempt on a lane of its own (one-shots). Never rejects: whatever happens is the attempt's result. */
export async function sendAttempt(deps: AttemptDeps, claimed: ClaimedAttempt, signal: AbortSignal): Promise<FinishedAttempt> {
  const job = attemptJob(deps, claimed);
  let outcome: LaneOutcome | Error | null = null;
  if (job)
    try {
      outcome = await sendOne(oneShotSender, { key: claimed.delivery.id, limit: 1 }, job, signal);
    } catch (error) {
      outcome = error as Error;
    }
  return attemptEnded(claimed, deps.clock.now(), outcome, signal.aborted);
}

/**
 * Writes an attempt's result and the delivery's next step (retry time, dead, 410 → endpoint
 * disabled, alerts). Call inside a write transaction.
 */
export function recordAttempt(deps: Pick<AttemptDeps, 'store' | 'logger' | 'random'>, finished: FinishedAttempt): AttemptOutcome {
  const { store } = deps;
  const { delivery, endpoint, attempt } = finished.claimed;
  const now = isoTime(finished.finishedMs);
  const result = finished.result;
  if (result === null) {
    const reason = finished.interrupted ?? INTERRUPTED;
    closeInterrupted(store, delivery.id, attempt, finished.finishedMs, reason, reason === NO_SECRET ? NO_SECRET_RETRY_MS : 0);
    return 'failed';
  }
  const ok = result.httpStatus !== null && result.httpStatus >= 200 && result.httpStatus < 300;
  const gone = result.httpStatus === 410;
  // A ping answers "does my endpoint work right now?": it is tried once, never retried for days.
  const ping = delivery.eventType === 'ping';
  const next =
    ok || gone || ping
      ? null
      : nextAttemptAfterFailure(Date.parse(delivery.createdAt), attempt, finished.finishedMs, deps.random);
  const outcome: AttemptOutcome = ok ? 'succeeded' : gone ? 'gone' : next === null && !ping ? 'dead' : 'failed';
  store.webhookAttempts.finish({
    deliveryId: delivery.id,
    attempt,
    // Claimed ahead, it went out when its endpoint's lane had room: that is when it started. A
    // wait under a second is left alone: the log's times are the engine clock's, the wait is the
    // worker's measure, and moving a start by a few ms would only mix the two.
    startedAt:
      result.waitedMs !== undefined && result.waitedMs >= LANE_WAIT_SHOWN_MS
        ? isoTime(finished.claimed.startedMs + result.waitedMs)
        : null,
    finishedAt: now,
    durationMs: result.durationMs,
    httpStatus: result.httpStatus,
    responseBody: result.responseBody,
    error: result.error,
  });
  store.webhookDeliveries.finish(
    delivery.id,
    {
      status: ok ? 'succeeded' : outcome === 'dead' ? 'dead' : 'failed',
      // A 410 leaves the delivery waiting: it goes out when the endpoint is enabled again.
      nextAttemptAt: gone ? now : next === null ? null : isoTime(next),
      httpStatus: result.httpStatus,
      error: result.error,
    },
    now,
  );
  if (gone && store.webhookEndpoints.disable(endpoint.id, `answered 410 Gone at ${now}`, now)) {
    store.alerts.raise(
      {
        id: newId('alr'),
        type: 'webhook_endpoint_gone',
        severity: 'warning',
        chainId: null,
        invoiceId: delivery.invoiceId,
        message: `Webhook endpoint ${redactUrl(endpoint.url)} answered 410 Gone, so Till disabled it. Its deliveries wait.`,
        remedy:
          'If the shop moved its webhook, edit the endpoint’s URL; then enable it in Settings → Webhooks, and the waiting deliveries go out.',
        details: { endpointId: endpoint.id, deliveryId: delivery.id },
        dedupeKey: `webhook_gone:${endpoint.id}`,
      },
      now,
    );
  }
  if (outcome === 'dead') raiseDeadAlert(store, endpoint.id, endpoint.url, 1, now);
  // Asked first: under load this runs for every delivery, and the log line's object would be built for nothing.
  const level = ok ? 'debug' : 'info';
  if (deps.logger.isLevelEnabled(level))
    deps.logger[level](
      { deliveryId: delivery.id, endpointId: endpoint.id, attempt, httpStatus: result.httpStatus, outcome },
      ok ? 'webhook delivered' : 'webhook attempt failed',
    );
  return outcome;
}

/**
 * One attempt of one delivery on its own (the ping and resend buttons, one-shot CLI commands):
 * recorded before it is sent (claim + attempt row, one transaction) and after (result, next
 * step, alerts, one transaction). Returns 'skipped' when the delivery was not due or another
 * process has it. The dispatcher does the same steps, batched (see webhook-dispatcher.ts).
 */
export async function attemptDelivery(
  deps: AttemptDeps,
  delivery: WebhookDeliveryRecord,
  signal: AbortSignal,
): Promise<AttemptOutcome> {
  const { store, clock } = deps;
  const endpoint = store.webhookEndpoints.get(delivery.endpointId);
  const body = deps.bodies.get(delivery.eventId);
  if (!endpoint || body === undefined) return 'skipped';
  // Secrets first: a locked vault must not cost the delivery an attempt.
  const secrets = await deps.secrets.activeSecrets(endpoint.id, clock.now());
  const startedMs = clock.now();
  const attempt = store.write(() => claimAttempt(store, delivery, startedMs));
  if (attempt === null) return 'skipped';
  const finished = await sendAttempt(deps, { delivery, endpoint, attempt, startedMs, body, secrets }, signal);
  return store.write(() => recordAttempt(deps, finished));
}

function closeInterrupted(store: Store, deliveryId: string, attempt: number, nowMs: number, reason: string, retryInMs = 0): void {
  const now = isoTime(nowMs);
  store.webhookAttempts.finish({
    deliveryId,
    attempt,
    finishedAt: now,
    durationMs: null,
    httpStatus: null,
    responseBody: null,
    error: reason,
  });
  store.webhookDeliveries.finish(
    deliveryId,
    { status: 'failed', nextAttemptAt: isoTime(nowMs + retryInMs), httpStatus: null, error: reason },
    now,
  );
}

/**
 * Attempts whose process died while they were out (kill -9, power cut), or whose result this
 * process had not committed yet when it died: the receiver may or may not have got them, so they
 * go out again (at-least-once; receivers dedupe by event id). `inFlight` are this process's own
 * attempts (out, or answered and waiting for the next group commit), which are not abandoned
 * however the clock moved.
 */
export function recoverAbandonedAttempts(store: Store, nowMs: number, inFlight: ReadonlySet<string>): number {
  const abandoned = store.webhookDeliveries.expiredLeases(isoTime(nowMs)).filter((delivery) => !inFlight.has(delivery.id));
  if (abandoned.length === 0) return 0;
  store.write(() => {
    for (const delivery of abandoned) closeInterrupted(store, delivery.id, delivery.attempts, nowMs, INTERRUPTED);
  });
  return abandoned.length;
}

export function raiseDeadAlert(store: Store, endpointId: string, url: string, count: number, now: string): void {
  store.alerts.raise(
    {
      id: newId('alr'),
      type: 'webhook_dead',
      severity: 'critical',
      chainId: null,
      invoiceId: null,
      message: `Webhook deliveries to ${redactUrl(url)} failed for three days and were given up (${count} just now). The shop has not heard of those events.`,
      remedy:
        'Fix the endpoint (the delivery log shows what it answered), then use Webhooks → Resend failed since… to deliver them again.',
      details: { endpointId },
      dedupeKey: `webhook_dead:${endpointId}`,
    },
    now,
  );
}
