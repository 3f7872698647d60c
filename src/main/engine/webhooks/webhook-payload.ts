import type { EventRecord } from '../db/repositories/events-repo.ts';
import type { Store } from '../db/store.ts';

/**
 * The body every attempt of a delivery of `event` posts — built from the stored event, so it is
 * the same bytes on every attempt and every redelivery, and the delivery log can show it.
 * `data.invoice` is the invoice exactly as GET /api/v1/invoices/{id} returned it at that event.
 */
export function webhookBody(event: EventRecord): string {
  const payload = event.payload as { invoice?: unknown };
  return JSON.stringify({
    id: event.id,
    type: event.type,
    createdAt: event.createdAt,
    sequence: event.sequence,
    data: event.type === 'ping' || payload.invoice === undefined ? {} : { invoice: payload.invoice },
  });
}

/**
 * Bodies of recently sent events, least recently used dropped first. One event goes to every
 * endpoint that wants it, at about the same time, so reading and serialising the stored invoice
 * once serves them all. Events are never changed once written, so an entry never goes stale.
 */
export function createWebhookBodyCache(store: Store, capacity = 1024) {
  const bodies = new Map<string, string>();
  return {
    /** The body for an event's deliveries; undefined when the event does not exist. */
    get(eventId: string): string | undefined {
      const cached = bodies.get(eventId);
      if (cached !== undefined) {
        bodies.delete(eventId);
        bodies.set(eventId, cached);
        return cached;
      }
      const event = store.events.get(eventId);
      if (!event) return undefined;
      const body = webhookBody(event);
      bodies.set(eventId, body);
      if (bodies.size > capacity) bodies.delete(bodies.keys().next().value!);
      return body;
    },
  };
}
export type WebhookBodyCache = ReturnType<typeof createWebhookBodyCache>;
