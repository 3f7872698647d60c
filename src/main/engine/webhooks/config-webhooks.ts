import type { WebhookConfig } from '../config/config-file.ts';
import { createWebhookEndpoint, rotateWebhookSecret, updateWebhookEndpoint, type WebhookOpsDeps } from './webhook-endpoints.ts';

/**
 * The config file's `webhooks[]`, applied at `till serve --config`: each entry is matched by URL
 * to an endpoint the file made before, created when new, and its events and description follow
 * the file. A secret given in the file (or its secretEnv) that differs from the current one is
 * rotated in with the usual overlap, so the shop can switch without a failed delivery. Endpoints
 * made in the app, and config endpoints the file no longer names, are left alone: the store is
 * the source of truth. Returns the secrets Till generated (shown once by the caller).
 */
export async function applyWebhookConfig(
  deps: WebhookOpsDeps,
  hooks: WebhookConfig[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ url: string; endpointId: string; secret: string }[]> {
  const generated: { url: string; endpointId: string; secret: string }[] = [];
  for (const hook of hooks) {
    const given = hook.secret ?? (hook.secretEnv ? env[hook.secretEnv] : undefined);
    const existing = deps.store.webhookEndpoints.findByUrl(hook.url, 'config');
    if (!existing) {
      const { endpoint, secret } = await createWebhookEndpoint(
        deps,
        {
          url: hook.url,
          events: hook.events,
          description: hook.description ?? '',
          enabled: true,
          secret: given,
          maxConcurrency: 4,
        },
        'config',
      );
      if (!given) generated.push({ url: hook.url, endpointId: endpoint.id, secret });
      continue;
    }
    const events = JSON.stringify(hook.events) !== JSON.stringify(existing.events) ? hook.events : undefined;
    const description =
      hook.description !== undefined && hook.description !== existing.description ? hook.description : undefined;
    if (events || description !== undefined) updateWebhookEndpoint(deps, { id: existing.id, events, description });
    if (given) {
      const [current] = await deps.secrets.activeSecrets(existing.id, deps.clock.now());
      if (current !== given) await rotateWebhookSecret(deps, { id: existing.id, secret: given });
    }
  }
  return generated;
}
