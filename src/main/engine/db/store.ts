import type { Database } from 'better-sqlite3';
import { createAddressPoolRepo } from './repositories/address-pool-repo.ts';
import { createApiKeysRepo } from './repositories/api-keys-repo.ts';
import { createChainsRepo } from './repositories/chains-repo.ts';
import { createEventsRepo } from './repositories/events-repo.ts';
import { createIdempotencyKeysRepo } from './repositories/idempotency-keys-repo.ts';
import { createInvoicesRepo } from './repositories/invoices-repo.ts';
import { createSettingsRepo } from './repositories/settings-repo.ts';
import { createWalletRepo } from './repositories/wallet-repo.ts';
import { createPaymentsRepo } from './repositories/payments-repo.ts';
import { createScanCursorsRepo } from './repositories/scan-cursors-repo.ts';
import { createRecentBlocksRepo } from './repositories/recent-blocks-repo.ts';
import { createAlertsRepo } from './repositories/alerts-repo.ts';
import { createOperatorLogRepo } from './repositories/operator-log-repo.ts';
import { createWebhookAttemptsRepo } from './repositories/webhook-attempts-repo.ts';
import { createWebhookDeliveriesRepo } from './repositories/webhook-deliveries-repo.ts';
import { createWebhookEndpointsRepo } from './repositories/webhook-endpoints-repo.ts';
import { createWebhookFanoutRepo } from './repositories/webhook-fanout-repo.ts';
import { createWebhookSecretsRepo } from './repositories/webhook-secrets-repo.ts';

/** The repositories over one connection, plus a transaction helper that takes the write lock up front. */
export function createStore(db: Database) {
  return {
    db,
    wallet: createWalletRepo(db),
    settings: createSettingsRepo(db),
    addressPool: createAddressPoolRepo(db),
    chains: createChainsRepo(db),
    invoices: createInvoicesRepo(db),
    events: createEventsRepo(db),
    apiKeys: createApiKeysRepo(db),
    idempotencyKeys: createIdempotencyKeysRepo(db),
    payments: createPaymentsRepo(db),
    scanCursors: createScanCursorsRepo(db),
    recentBlocks: createRecentBlocksRepo(db),
    alerts: createAlertsRepo(db),
    operatorLog: createOperatorLogRepo(db),
    webhookEndpoints: createWebhookEndpointsRepo(db),
    webhookSecrets: createWebhookSecretsRepo(db),
    webhookDeliveries: createWebhookDeliveriesRepo(db),
    webhookAttempts: createWebhookAttemptsRepo(db),
    webhookFanout: createWebhookFanoutRepo(db),
    /** BEGIN IMMEDIATE: writers queue on the lock instead of failing mid-transaction with SQLITE_BUSY. */
    write<T>(fn: () => T): T {
      return db.transaction(fn).immediate();
    },
  };
}
export type Store = ReturnType<typeof createStore>;
