import type { Logger } from 'pino';
import type { Store } from '../db/store.ts';
import type { Clock } from '../lib/clock.ts';
import { applyWebhookConfig } from '../webhooks/config-webhooks.ts';
import type { WebhookOpsDeps } from '../webhooks/webhook-endpoints.ts';
import { saveChain } from '../api/chain-ops.ts';
import { setTreasury } from '../api/wallet-ops.ts';
import type { ConfigFile } from './config-file.ts';

/**
 * Applies a config file to the store at start. The store stays the source of truth: the file
 * upserts what it names and leaves everything else (chains added in the app, invoices) alone.
 */
export async function applyConfig(
  deps: { store: Store; clock: Clock; logger: Logger; webhooks: WebhookOpsDeps },
  config: ConfigFile,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ generatedWebhookSecrets: { url: string; endpointId: string; secret: string }[] }> {
  const { store, clock, logger } = deps;
  store.write(() => {
    if (config.treasury) setTreasury(store, config.treasury);
    if (config.shop) store.settings.set('shop_name', config.shop.name);
    if (config.shop?.currency) store.settings.set('shop_currency', config.shop.currency);
    if (config.publicUrl) store.settings.set('public_url', config.publicUrl.replace(/\/+$/, ''));
    if (config.monitoringWindowSeconds !== undefined)
      store.settings.set('monitoring_window_seconds', String(config.monitoringWindowSeconds));
    for (const chain of config.chains) saveChain(store, clock, chain);
  });
  const generatedWebhookSecrets = await applyWebhookConfig(deps.webhooks, config.webhooks, env);
  logger.info(
    {
      chains: config.chains.map((chain) => chain.chainId),
      treasury: config.treasury ?? null,
      webhooks: config.webhooks.map((hook) => hook.url),
    },
    'config applied',
  );
  return { generatedWebhookSecrets };
}
