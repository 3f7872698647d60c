import type { Logger } from 'pino';
import type { Store } from '../db/store.ts';
import type { Clock } from '../lib/clock.ts';
import type { KeyVault } from '../vault/key-vault.ts';
import { attemptDelivery, type AttemptDeps } from './attempt-delivery.ts';
import { createWebhookDispatcher, type WebhookDispatcher } from './webhook-dispatcher.ts';
import { createWebhookBodyCache } from './webhook-payload.ts';
import { createWebhookSecretBox } from './webhook-secrets.ts';
import { createInlineSender, createWebhookSender } from './webhook-sender.ts';

export interface WebhookServiceDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  vault: () => Promise<KeyVault>;
  version: string;
  signal: AbortSignal;
  /** Deliveries or endpoints changed; throttled by the caller. */
  changed(): void;
  /** Test seams. */
  random?: () => number;
  timeoutMs?: number;
  inlineSender?: boolean;
}

/**
 * Webhooks as the engine hosts them: the secret box, the dispatcher loop (when the engine runs
 * its loops) and sending one delivery at once (the ping and resend buttons, and one-shot CLI
 * commands, which run no loop).
 */
export function createWebhookService(deps: WebhookServiceDeps) {
  const { store } = deps;
  const secrets = createWebhookSecretBox({ store, vault: deps.vault });
  const attemptDeps: AttemptDeps = {
    store,
    clock: deps.clock,
    logger: deps.logger,
    secrets,
    bodies: createWebhookBodyCache(store),
    version: deps.version,
    random: deps.random,
    timeoutMs: deps.timeoutMs,
  };
  let dispatcher: WebhookDispatcher | undefined;

  return {
    secrets,
    /** Starts the dispatcher loop; resolves when the signal stops it. */
    run(signal: AbortSignal): Promise<void> {
      const sender = deps.inlineSender ? createInlineSender() : createWebhookSender();
      dispatcher = createWebhookDispatcher({ ...attemptDeps, sender, changed: deps.changed });
      return dispatcher.run(signal).finally(() => sender.close());
    },
    wake(): void {
      dispatcher?.wake();
    },
    changed: deps.changed,
    status() {
      return dispatcher?.status() ?? { blocked: null, inFlight: 0 };
    },
    async attemptNow(deliveryId: string): Promise<void> {
      const delivery = store.webhookDeliveries.get(deliveryId);
      if (!delivery) return;
      const outcome = await attemptDelivery(attemptDeps, delivery, deps.signal);
      if (outcome !== 'skipped') return;
      // The dispatcher took it first: wait for that attempt's outcome (it ends within the timeout).
      const deadline = Date.now() + (deps.timeoutMs ?? 10_000) + 5_000;
      while (Date.now() < deadline && store.webhookDeliveries.get(deliveryId)?.status === 'sending')
        await new Promise((resolve) => setTimeout(resolve, 50));
    },
  };
}
export type WebhookService = ReturnType<typeof createWebhookService>;
