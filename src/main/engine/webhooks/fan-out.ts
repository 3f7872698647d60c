import type { Store } from '../db/store.ts';
import { endpointWants } from '../db/repositories/webhook-endpoints-repo.ts';
import { newDeliveryId } from './delivery-id.ts';

const BATCH = 500;

/**
 * Turns outbox events into deliveries: one per event and endpoint whose filter takes it and
 * that existed when the event was written. Each batch and the fan-out position move in one
 * transaction, so a crash re-runs a batch at worst — and the unique (event, endpoint) index makes
 * that a no-op. Pings are never fanned out: they are addressed to one endpoint when made.
 * Returns how many deliveries were created.
 */
export function fanOutEvents(store: Store, now: string): number {
  // The dispatcher asks on every look, and nearly every look finds nothing new: find that out
  // with two reads rather than a write transaction (which would cost a commit per delivery).
  if (store.events.maxSeq() <= store.webhookFanout.position()) return 0;
  let created = 0;
  for (;;) {
    const done = store.write(() => {
      const position = store.webhookFanout.position();
      const events = store.events.after(position, BATCH);
      if (events.length === 0) return true;
      const endpoints = store.webhookEndpoints.list();
      for (const event of events) {
        if (event.type === 'ping') continue;
        for (const endpoint of endpoints) {
          if (event.seq <= endpoint.afterEventSeq || !endpointWants(endpoint, event.type)) continue;
          const inserted = store.webhookDeliveries.insert({
            id: newDeliveryId(),
            eventId: event.id,
            endpointId: endpoint.id,
            invoiceId: event.invoiceId,
            sequence: event.sequence,
            eventType: event.type,
            redelivery: false,
            now,
          });
          if (inserted) created++;
        }
      }
      store.webhookFanout.advance(events.at(-1)!.seq);
      return events.length < BATCH;
    });
    if (done) return created;
  }
}
