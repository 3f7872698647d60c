import { WebhookEndpointInputSchema, type WebhookEndpoint } from '../../../shared/webhooks.ts';
import type { z } from 'zod';
import type { Store } from '../db/store.ts';
import { isoTime, type Clock } from '../lib/clock.ts';
import { TillError } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';
import { generateWebhookSecret, type WebhookSecretBox } from './webhook-secrets.ts';
import { endpointView } from './webhook-views.ts';

export interface WebhookOpsDeps {
  store: Store;
  clock: Clock;
  secrets: WebhookSecretBox;
  actor: string;
}

export const DEFAULT_ROTATION_OVERLAP_HOURS = 24;

export function requireEndpoint(store: Store, id: string) {
  const endpoint = store.webhookEndpoints.get(id);
  if (!endpoint)
    throw new TillError(
      'WEBHOOK_NOT_FOUND',
      `No webhook endpoint with id ${id.slice(0, 64)}. List them with: till webhooks list`,
    );
  return endpoint;
}

/** Adds an endpoint. The secret is the one given, or a new one; either way it is returned once and never again. */
export async function createWebhookEndpoint(
  deps: WebhookOpsDeps,
  input: z.output<typeof WebhookEndpointInputSchema>,
  source: 'app' | 'config' = 'app',
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  const { store, clock } = deps;
  const id = newId('whe');
  const secret = input.secret ?? generateWebhookSecret();
  const sealed = await deps.secrets.seal(id, secret, clock.now());
  const now = isoTime(clock.now());
  store.write(() => {
    store.webhookEndpoints.insert(
      {
        id,
        url: input.url,
        description: input.description,
        events: input.events,
        enabled: input.enabled,
        maxConcurrency: input.maxConcurrency,
        source,
      },
      now,
    );
    store.webhookSecrets.insert(sealed);
    store.operatorLog.record(
      { actor: deps.actor, action: 'webhook.create', target: id, details: { url: input.url, events: input.events, source } },
      now,
    );
  });
  return { endpoint: endpointView(store, store.webhookEndpoints.get(id)!, clock.now()), secret };
}

export function updateWebhookEndpoint(
  deps: WebhookOpsDeps,
  input: {
    id: string;
    url?: string;
    events?: string[];
    description?: string;
    enabled?: boolean;
    maxConcurrency?: number;
  },
): WebhookEndpoint {
  const { store, clock } = deps;
  const now = isoTime(clock.now());
  store.write(() => {
    const current = requireEndpoint(store, input.id);
    const next = {
      url: input.url ?? current.url,
      events: input.events ?? current.events,
      description: input.description ?? current.description,
      enabled: input.enabled ?? current.enabled,
      maxConcurrency: input.maxConcurrency ?? current.maxConcurrency,
    };
    store.webhookEndpoints.update(input.id, next, now);
    const changed = Object.fromEntries(
      Object.entries(next).filter(([key, value]) => JSON.stringify(value) !== JSON.stringify(current[key as keyof typeof next])),
    );
    store.operatorLog.record({ actor: deps.actor, action: 'webhook.update', target: input.id, details: changed }, now);
  });
  return endpointView(store, requireEndpoint(store, input.id), clock.now());
}

/** Removes an endpoint with its secrets and its delivery log. */
export function removeWebhookEndpoint(deps: WebhookOpsDeps, id: string): { removed: true } {
  const { store, clock } = deps;
  const now = isoTime(clock.now());
  store.write(() => {
    const endpoint = requireEndpoint(store, id);
    store.webhookEndpoints.remove(id);
    store.operatorLog.record({ actor: deps.actor, action: 'webhook.remove', target: id, details: { url: endpoint.url } }, now);
  });
  return { removed: true };
}

/**
 * Issues a new secret; the current one keeps signing beside it for `overlapHours` (each request
 * then carries one v1= per secret), so the shop can switch without losing a delivery.
 */
export async function rotateWebhookSecret(
  deps: WebhookOpsDeps,
  input: { id: string; overlapHours?: number; secret?: string },
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  const { store, clock } = deps;
  requireEndpoint(store, input.id);
  const secret = input.secret ?? generateWebhookSecret();
  const sealed = await deps.secrets.seal(input.id, secret, clock.now());
  const overlapHours = input.overlapHours ?? DEFAULT_ROTATION_OVERLAP_HOURS;
  const nowMs = clock.now();
  const now = isoTime(nowMs);
  store.write(() => {
    requireEndpoint(store, input.id);
    if (overlapHours > 0) store.webhookSecrets.expireCurrent(input.id, isoTime(nowMs + overlapHours * 3_600_000));
    else store.webhookSecrets.expireAll(input.id, now);
    store.webhookSecrets.insert(sealed);
    store.operatorLog.record(
      { actor: deps.actor, action: 'webhook.rotate_secret', target: input.id, details: { overlapHours } },
      now,
    );
  });
  return { endpoint: endpointView(store, requireEndpoint(store, input.id), clock.now()), secret };
}
