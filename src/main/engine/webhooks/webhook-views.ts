import type { WebhookDelivery, WebhookDeliveryDetail, WebhookEndpoint, WebhookEndpointHealth } from '../../../shared/webhooks.ts';
import type { Store } from '../db/store.ts';
import type { WebhookDeliveryRecord } from '../db/repositories/webhook-deliveries-repo.ts';
import type { WebhookEndpointRecord } from '../db/repositories/webhook-endpoints-repo.ts';
import { isoTime } from '../lib/clock.ts';
import { webhookBody } from './webhook-payload.ts';

const DAY_MS = 24 * 3_600_000;

/** Every endpoint as the Webhooks screen shows it, with its health over the last 24 hours. */
export function listEndpointViews(store: Store, nowMs: number): WebhookEndpoint[] {
  const now = isoTime(nowMs);
  const attempts = store.webhookAttempts.statsSince(isoTime(nowMs - DAY_MS));
  const open = store.webhookDeliveries.openStats();
  return store.webhookEndpoints.list().map((endpoint) => toEndpointView(store, endpoint, now, attempts, open));
}

export function endpointView(store: Store, endpoint: WebhookEndpointRecord, nowMs: number): WebhookEndpoint {
  const attempts = store.webhookAttempts.statsSince(isoTime(nowMs - DAY_MS));
  return toEndpointView(store, endpoint, isoTime(nowMs), attempts, store.webhookDeliveries.openStats());
}

function toEndpointView(
  store: Store,
  endpoint: WebhookEndpointRecord,
  now: string,
  attempts: Map<string, { attempts: number; ok: number }>,
  open: Map<string, { open: number; oldest: string | null; dead: number }>,
): WebhookEndpoint {
  const stats = attempts.get(endpoint.id);
  const queue = open.get(endpoint.id);
  const last = store.webhookAttempts.lastFinished(endpoint.id);
  const health: WebhookEndpointHealth = {
    successRate24h: stats && stats.attempts > 0 ? stats.ok / stats.attempts : null,
    attempts24h: stats?.attempts ?? 0,
    lastAttemptAt: last?.startedAt ?? null,
    lastHttpStatus: last?.httpStatus ?? null,
    lastError: last?.error ?? null,
    oldestUndeliveredAt: queue?.oldest ?? null,
    undelivered: queue?.open ?? 0,
    dead: queue?.dead ?? 0,
  };
  return {
    id: endpoint.id,
    url: endpoint.url,
    description: endpoint.description,
    events: endpoint.events,
    enabled: endpoint.enabled,
    disabledReason: endpoint.disabledReason,
    maxConcurrency: endpoint.maxConcurrency,
    source: endpoint.source,
    secrets: store.webhookSecrets
      .active(endpoint.id, now)
      .map((secret) => ({ id: secret.id, hint: secret.hint, createdAt: secret.createdAt, expiresAt: secret.expiresAt })),
    createdAt: endpoint.createdAt,
    updatedAt: endpoint.updatedAt,
    health,
  };
}

export function deliveryView(delivery: WebhookDeliveryRecord, endpointUrl: string): WebhookDelivery {
  return {
    id: delivery.id,
    eventId: delivery.eventId,
    eventType: delivery.eventType,
    endpointId: delivery.endpointId,
    endpointUrl,
    invoiceId: delivery.invoiceId,
    sequence: delivery.sequence,
    redelivery: delivery.redelivery,
    status: delivery.status,
    attempts: delivery.attempts,
    nextAttemptAt: delivery.status === 'pending' || delivery.status === 'failed' ? delivery.nextAttemptAt : null,
    lastHttpStatus: delivery.lastHttpStatus,
    lastError: delivery.lastError,
    createdAt: delivery.createdAt,
    updatedAt: delivery.updatedAt,
    completedAt: delivery.completedAt,
  };
}

/** Endpoint URLs by id, for delivery lists (an endpoint may have been removed since). */
export function endpointUrls(store: Store): (id: string) => string {
  const urls = new Map(store.webhookEndpoints.list().map((endpoint) => [endpoint.id, endpoint.url]));
  return (id) => urls.get(id) ?? '(removed endpoint)';
}

export function deliveryDetail(store: Store, delivery: WebhookDeliveryRecord): WebhookDeliveryDetail {
  const event = store.events.get(delivery.eventId)!;
  return {
    ...deliveryView(delivery, endpointUrls(store)(delivery.endpointId)),
    requestBody: webhookBody(event),
    attemptLog: store.webhookAttempts.list(delivery.id),
  };
}
