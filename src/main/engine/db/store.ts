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
import { createSweepSettingsRepo } from './repositories/sweep-settings-repo.ts';
import { createChainCapabilitiesRepo } from './repositories/chain-capabilities-repo.ts';
import { createSignerNoncesRepo } from './repositories/signer-nonces-repo.ts';
import { createSweeperContractsRepo } from './repositories/sweeper-contracts-repo.ts';
import { createSweepAuthorizationsRepo } from './repositories/sweep-authorizations-repo.ts';
import { createSweepDepositsRepo } from './repositories/sweep-deposits-repo.ts';
import { createSweepsRepo } from './repositories/sweeps-repo.ts';
import { createSweepItemsRepo } from './repositories/sweep-items-repo.ts';
import { createSweepTxsRepo } from './repositories/sweep-txs-repo.ts';
import { createSweepRequestsRepo } from './repositories/sweep-requests-repo.ts';
import { createSweeperLeaseRepo } from './repositories/sweeper-lease-repo.ts';
import { createPriceFeedsRepo } from './repositories/price-feeds-repo.ts';
import { createNativeBalancesRepo } from './repositories/native-balances-repo.ts';

/** The repositories over one connection, plus a transaction helper that takes the write lock up front. */
export function createStore(db: Database) {
  return {
    db,
    wallet: createWalletRepo(db),
    settings: createSettingsRepo(db),
    addressPool: createAddressPoolRepo(db),
    chains: createChainsRepo(db),
    priceFeeds: createPriceFeedsRepo(db),
    nativeBalances: createNativeBalancesRepo(db),
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
    sweepSettings: createSweepSettingsRepo(db),
    chainCapabilities: createChainCapabilitiesRepo(db),
    signerNonces: createSignerNoncesRepo(db),
    sweeperContracts: createSweeperContractsRepo(db),
    sweepAuthorizations: createSweepAuthorizationsRepo(db),
    sweepDeposits: createSweepDepositsRepo(db),
    sweeps: createSweepsRepo(db),
    sweepItems: createSweepItemsRepo(db),
    sweepTxs: createSweepTxsRepo(db),
    sweepRequests: createSweepRequestsRepo(db),
    sweeperLease: createSweeperLeaseRepo(db),
    /** BEGIN IMMEDIATE: writers queue on the lock instead of failing mid-transaction with SQLITE_BUSY. */
    write<T>(fn: () => T): T {
      return db.transaction(fn).immediate();
    },
  };
}
export type Store = ReturnType<typeof createStore>;
