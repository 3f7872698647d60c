import type { WebhookDelivery } from '../../../shared/webhooks.ts';
import type { Store } from '../db/store.ts';
import type { WebhookDeliveryRecord } from '../db/repositories/webhook-deliveries-repo.ts';
import { isoTime, type Clock } from '../lib/clock.ts';
import { TillError } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';
import { newDeliveryId } from './delivery-id.ts';
import { requireEndpoint } from './webhook-endpoints.ts';
import { deliveryView, endpointUrls } from './webhook-views.ts';

interface RedeliverDeps {
  store: Store;
  clock: Clock;
  actor: string;
}

export function requireDelivery(store: Store, id: string): WebhookDeliveryRecord {
  const delivery = store.webhookDeliveries.get(id);
  if (!delivery)
    throw new TillError(
      'WEBHOOK_DELIVERY_NOT_FOUND',
      `No webhook delivery with id ${id.slice(0, 64)}. List them with: till webhooks deliveries`,
    );
  return delivery;
}

/**
 * A new delivery of the same event to the same endpoint, marked Till-Redelivery. If the old one
 * is still retrying, the new one takes over (the old one is superseded), so the shop does not
 * get both on the old schedule. Call inside a transaction.
 */
function redeliverOne(store: Store, delivery: WebhookDeliveryRecord, now: string): WebhookDeliveryRecord {
  store.webhookDeliveries.supersede(delivery.id, now);
  const id = newDeliveryId();
  store.webhookDeliveries.insert({
    id,
    eventId: delivery.eventId,
    endpointId: delivery.endpointId,
    invoiceId: delivery.invoiceId,
    sequence: delivery.sequence,
    eventType: delivery.eventType,
    redelivery: true,
    now,
  });
  return store.webhookDeliveries.get(id)!;
}

/** Redelivers one delivery; returns the new delivery (the dispatcher, or the caller, sends it). */
export function redeliverDelivery(deps: RedeliverDeps, deliveryId: string): WebhookDelivery {
  const { store } = deps;
  const now = isoTime(deps.clock.now());
  const created = store.write(() => {
    const delivery = requireDelivery(store, deliveryId);
    requireEndpoint(store, delivery.endpointId);
    const fresh = redeliverOne(store, delivery, now);
    store.operatorLog.record(
      { actor: deps.actor, action: 'webhook.redeliver', target: deliveryId, details: { newDeliveryId: fresh.id } },
      now,
    );
    return fresh;
  });
  return deliveryView(created, endpointUrls(store)(created.endpointId));
}

/** Redelivers one event to every endpoint it was delivered to. */
export function redeliverEvent(deps: RedeliverDeps, eventId: string): WebhookDelivery[] {
  const { store } = deps;
  const now = isoTime(deps.clock.now());
  const created = store.write(() => {
    if (!store.events.get(eventId)) throw new TillError('EVENT_NOT_FOUND', `No event with id ${eventId.slice(0, 64)}.`);
    const latest = new Map<string, WebhookDeliveryRecord>();
    for (const delivery of store.webhookDeliveries.forEvent(eventId)) latest.set(delivery.endpointId, delivery);
    if (latest.size === 0)
      throw new TillError('WEBHOOK_DELIVERY_NOT_FOUND', 'This event was not delivered to any webhook endpoint.');
    const fresh = [...latest.values()].map((delivery) => redeliverOne(store, delivery, now));
    store.operatorLog.record(
      { actor: deps.actor, action: 'webhook.redeliver_event', target: eventId, details: { deliveries: fresh.length } },
      now,
    );
    return fresh;
  });
  const url = endpointUrls(store);
  return created.map((delivery) => deliveryView(delivery, url(delivery.endpointId)));
}

/**
 * Redelivers everything that failed or died since `since`: one new delivery per event and
 * endpoint whose latest delivery failed, unless it has been delivered or is being delivered.
 */
export function redeliverFailedSince(deps: RedeliverDeps, since: string, endpointId?: string): { queued: number } {
  const { store } = deps;
  const now = isoTime(deps.clock.now());
  return store.write(() => {
    if (endpointId) requireEndpoint(store, endpointId);
    const failed = store.webhookDeliveries
      .failedOrDeadSince(since)
      .filter((delivery) => endpointId === undefined || delivery.endpointId === endpointId);
    for (const delivery of failed) redeliverOne(store, delivery, now);
    store.operatorLog.record(
      {
        actor: deps.actor,
        action: 'webhook.redeliver_failed',
        target: endpointId ?? null,
        details: { since, queued: failed.length },
      },
      now,
    );
    return { queued: failed.length };
  });
}

/** A signed ping event for one endpoint, queued as its own delivery; returns the delivery. */
export function queuePing(deps: RedeliverDeps, endpointId: string): WebhookDeliveryRecord {
  const { store } = deps;
  const now = isoTime(deps.clock.now());
  return store.write(() => {
    requireEndpoint(store, endpointId);
    const event = store.events.appendStandalone({ id: newId('evt'), type: 'ping', payload: {}, createdAt: now });
    const id = newDeliveryId();
    store.webhookDeliveries.insert({
      id,
      eventId: event.id,
      endpointId,
      invoiceId: null,
      sequence: 0,
      eventType: 'ping',
      redelivery: false,
      now,
    });
    store.operatorLog.record({ actor: deps.actor, action: 'webhook.ping', target: endpointId, details: { deliveryId: id } }, now);
    return store.webhookDeliveries.get(id)!;
  });
}
