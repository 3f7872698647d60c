import type { MethodName } from '../../../shared/contract.ts';
import { WebhookEndpointInputSchema } from '../../../shared/webhooks.ts';
import type { EngineContext } from '../engine-context.ts';
import { isoTime } from '../lib/clock.ts';
import { queuePing, redeliverDelivery, redeliverEvent, redeliverFailedSince, requireDelivery } from '../webhooks/redeliver.ts';
import {
  createWebhookEndpoint,
  removeWebhookEndpoint,
  rotateWebhookSecret,
  updateWebhookEndpoint,
  type WebhookOpsDeps,
} from '../webhooks/webhook-endpoints.ts';
import { deliveryDetail, deliveryView, endpointUrls, listEndpointViews } from '../webhooks/webhook-views.ts';
import type { Operations } from './operations.ts';

type WebhookMethod = Extract<MethodName, `webhooks.${string}`>;

/** The Webhooks screen's and `till webhooks`' operations. */
export function createWebhookOperations(ctx: EngineContext): Pick<Operations, WebhookMethod> {
  const { store, clock } = ctx;
  const deps: WebhookOpsDeps = { store, clock, secrets: ctx.webhooks.secrets, actor: ctx.actor };
  // Any change may free deliveries (an endpoint enabled again, a URL fixed): let the dispatcher look.
  const changed = <T>(value: T): T => {
    ctx.webhooks.changed();
    ctx.webhooks.wake();
    return value;
  };
  return {
    'webhooks.list': () => listEndpointViews(store, clock.now()),
    // Parsing again only fills in the defaults' types: the engine validated the input already.
    'webhooks.create': async (input) => changed(await createWebhookEndpoint(deps, WebhookEndpointInputSchema.parse(input))),
    'webhooks.update': (input) => changed(updateWebhookEndpoint(deps, input)),
    'webhooks.remove': ({ id }) => changed(removeWebhookEndpoint(deps, id)),
    'webhooks.rotateSecret': async (input) => changed(await rotateWebhookSecret(deps, input)),
    'webhooks.ping': async ({ id }) => {
      const delivery = queuePing(deps, id);
      await ctx.webhooks.attemptNow(delivery.id);
      return changed(deliveryDetail(store, requireDelivery(store, delivery.id)));
    },
    'webhooks.deliveries': (input) => {
      const limit = input.limit ?? 50;
      const beforeSeq = input.cursor === undefined ? undefined : Number.parseInt(input.cursor, 10);
      const rows = store.webhookDeliveries.list({
        status: input.status,
        eventType: input.eventType,
        invoiceId: input.invoiceId,
        endpointId: input.endpointId,
        beforeSeq: Number.isFinite(beforeSeq) ? beforeSeq : undefined,
        limit: limit + 1,
      });
      const url = endpointUrls(store);
      const items = rows.slice(0, limit).map((row) => deliveryView(row, url(row.endpointId)));
      return { items, nextCursor: rows.length > limit ? String(rows[limit - 1]!.seq) : null };
    },
    'webhooks.delivery': ({ id }) => deliveryDetail(store, requireDelivery(store, id)),
    'webhooks.redeliver': async ({ deliveryId }) => {
      const fresh = redeliverDelivery(deps, deliveryId);
      await ctx.webhooks.attemptNow(fresh.id);
      return changed(deliveryDetail(store, requireDelivery(store, fresh.id)));
    },
    'webhooks.redeliverEvent': ({ eventId }) => {
      const fresh = redeliverEvent(deps, eventId);
      ctx.webhooks.wake();
      return changed(fresh);
    },
    'webhooks.redeliverFailed': ({ since, endpointId }) => {
      const result = redeliverFailedSince(deps, isoTime(Date.parse(since)), endpointId);
      ctx.webhooks.wake();
      return changed(result);
    },
  };
}
