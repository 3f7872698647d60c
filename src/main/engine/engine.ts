import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import type { Logger } from 'pino';
import {
  contract,
  type EventName,
  type EventPayloads,
  type MethodName,
  type MethodOutput,
  type Result,
} from '../../shared/contract.ts';
import type { ChainHealth, EngineStatus, KeystoreKind } from '../../shared/domain.ts';
import { createRpcPool } from './chains/rpc/rpc-pool.ts';
import { expireDueInvoices } from './invoices/invoice-state.ts';
import {
  createScannerSupervisor,
  idleChainHealth,
  type RpcPoolTuning,
  type ScannerSupervisor,
} from './scanner/scanner-supervisor.ts';
import { createOperations } from './api/operations.ts';
import { openDatabase } from './db/connection.ts';
import { createStore, type Store } from './db/store.ts';
import type { EngineContext } from './engine-context.ts';
import type { CreateInvoiceDeps } from './invoices/create-invoice.ts';
import { loadInvoiceView } from './invoices/invoice-view.ts';
import { systemClock, type Clock, isoTime } from './lib/clock.ts';
import { toErrorData, TillError } from './lib/errors.ts';
import { createLogger } from './lib/logger.ts';
import { createShutdown, sleep } from './lib/shutdown.ts';
import { TILL_VERSION } from './lib/version.ts';
import { validationErrorFrom } from './lib/zod-errors.ts';
import type { KeyVault } from './vault/key-vault.ts';
import { openVault } from './vault/open-vault.ts';
import { createAddressPool } from './wallet/address-pool.ts';
import { createBatchDeriver } from './wallet/batch-deriver.ts';
import { createAddressDeriver } from './wallet/hd-wallet.ts';
import { createWebhookService } from './webhooks/webhook-service.ts';
import { createSweeperService, type SweeperService } from './sweeper/sweeper-service.ts';
import type { RpcPool } from './chains/rpc/rpc-pool.ts';
import { WALLET_SECRET } from './vault/key-vault.ts';
import type { WebhookOpsDeps } from './webhooks/webhook-endpoints.ts';
import { createBackups, type Backups } from './backup/backup-scheduler.ts';
import { markRunning } from './lib/data-dir-lock.ts';
import type { DisplayWindowScreen } from '../../shared/display.ts';

export interface EngineOptions {
  dataDir: string;
  host: 'desktop' | 'browser';
  keystore?: KeystoreKind | 'auto';
  /** Asked for the file keystore's passphrase when it is needed (TILL_PASSPHRASE or a prompt). */
  passphrase?: () => Promise<string>;
  logger?: Logger;
  clock?: Clock;
  /** Background loops (address pool, scanners, expiry, UI push); off for one-shot CLI commands. */
  background?: boolean;
  /** Who operator actions are logged as; defaults to the host. */
  actor?: string;
  /** RPC timeouts and thresholds of the scanners' pools; the defaults suit real providers. */
  rpcTuning?: RpcPoolTuning;
  /**
   * Test seams for webhook delivery: the jitter source, the per-attempt timeout, and (for
   * bench:webhooks' comparison) the dispatcher's requests sent from the engine's own thread.
   */
  webhooks?: { random?: () => number; timeoutMs?: number; inlineSender?: boolean };
  /** The host's save dialog, for exports.save (the desktop app); resolves null when cancelled. */
  chooseExportFile?: (suggestedName: string) => Promise<string | null>;
  /** The host's customer display window, for display.openWindow (the desktop app). */
  openDisplayWindow?: () => Promise<DisplayWindowScreen>;
}

export interface Engine {
  readonly store: Store;
  readonly logger: Logger;
  readonly dataDir: string;
  /** Validates `input` against the contract and runs the operation; never throws. */
  call<M extends MethodName>(method: M, input: unknown): Promise<Result<MethodOutput<M>>>;
  /** Like call, but throws the TillError; for trusted in-process callers (CLI, HTTP API). */
  invoke<M extends MethodName>(method: M, input: unknown): Promise<MethodOutput<M>>;
  subscribe<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void;
  /** Pushes outbox events written by this or another process to subscribers now. */
  publishOutbox(): void;
  /** Lets the webhook dispatcher look now (tests move the clock; another process queued deliveries). */
  wakeWebhooks(): void;
  addressAt(index: number): string;
  /** What invoice creation needs; the merchant API calls it directly to pass idempotency. */
  readonly invoiceDeps: CreateInvoiceDeps;
  /** What webhook endpoint changes need; applying the config file calls them directly. */
  readonly webhookDeps: WebhookOpsDeps;
  /** The sweeper (the CLI steps it directly when no other process sweeps). */
  readonly sweeper: SweeperService;
  status(): EngineStatus;
  chainHealth(): ChainHealth[];
  backups: Backups;
  stop(): Promise<void>;
}

export const databasePath = (dataDir: string): string => join(dataDir, 'till.db');

/**
 * The engine is a library: the Electron main process and `till serve` are two hosts of it.
 * It owns the store, the vault access, the operations behind the contract and its loops.
 */
export async function createEngine(options: EngineOptions): Promise<Engine> {
  const logger = options.logger ?? createLogger({ dataDir: options.dataDir });
  const clock = options.clock ?? systemClock;
  const db = openDatabase({ path: databasePath(options.dataDir) });
  const store = createStore(db);
  const shutdown = createShutdown();
  shutdown.onStop(() => {
    db.close();
  });
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  const startedAt = isoTime(clock.now());

  let vault: KeyVault | undefined;
  const getVault = async (passphrase?: string): Promise<KeyVault> =>
    (vault ??= await openVault({
      keystore: options.keystore ?? 'auto',
      dataDir: options.dataDir,
      passphrase: passphrase ? async () => passphrase : options.passphrase,
    }));

  // One deriver per xpub; the xpub never changes once a wallet exists, but it may appear later.
  let deriver: { xpub: string; addressAt(index: number): string } | undefined;
  const derive = (index: number): string => {
    const wallet = store.wallet.get();
    if (!wallet) throw new TillError('WALLET_MISSING', 'No wallet is set up yet.');
    if (deriver?.xpub !== wallet.depositXpub) deriver = { xpub: wallet.depositXpub, ...createAddressDeriver(wallet.depositXpub) };
    return deriver.addressAt(index);
  };
  const batchDeriver = createBatchDeriver();
  shutdown.onStop(() => batchDeriver.close());
  const pool = createAddressPool({ store, derive, batchDeriver, logger: logger.child({ loop: 'address-pool' }) });

  const status = (): EngineStatus => ({
    version: TILL_VERSION,
    walletReady: store.wallet.get() !== undefined,
    treasury: store.settings.get('treasury'),
    chains: store.chains.list().map((chain) => ({ chainId: chain.chainId, name: chain.name, enabled: chain.enabled })),
    startedAt,
  });

  let outboxPosition = store.events.maxSeq();
  const publishOutbox = (): void => {
    // Nobody is listening (a headless till with no UI open): just move past what was written.
    if (emitter.listenerCount('invoice.changed') === 0) {
      outboxPosition = store.events.maxSeq();
      return;
    }
    for (;;) {
      const rows = store.events.touchedAfter(outboxPosition);
      if (rows.length === 0) return;
      outboxPosition = rows.at(-1)!.seq;
      for (const invoiceId of new Set(rows.map((row) => row.invoiceId))) {
        const record = invoiceId ? store.invoices.get(invoiceId) : undefined;
        if (record) emitter.emit('invoice.changed', { invoice: loadInvoiceView(store, record) });
      }
    }
  };

  let supervisor: ScannerSupervisor | undefined;
  let lastHealthPush = 0;
  let healthPushTimer: NodeJS.Timeout | undefined;
  let openAlerts = store.alerts.openCount();
  // The health screen updates live, but at most a few times a second however busy the scanners are.
  const healthChanged = (): void => {
    const alerts = store.alerts.openCount();
    if (alerts !== openAlerts) {
      openAlerts = alerts;
      emitter.emit('alerts.changed', { open: alerts });
    }
    if (healthPushTimer || emitter.listenerCount('chains.health') === 0) return;
    const wait = Math.max(0, 250 - (Date.now() - lastHealthPush));
    healthPushTimer = setTimeout(() => {
      healthPushTimer = undefined;
      lastHealthPush = Date.now();
      emitter.emit('chains.health', chainHealth());
    }, wait);
  };
  shutdown.onStop(() => clearTimeout(healthPushTimer));
  const chainHealth = (): ChainHealth[] => supervisor?.health() ?? idleChainHealth(store);

  let webhooksPushTimer: NodeJS.Timeout | undefined;
  let webhookAlertsTimer: NodeJS.Timeout | undefined;
  const webhooksChanged = (): void => {
    // Webhook alerts count in the status bar too; looked at a few times a second at most, as the
    // dispatcher reports a change on nearly every look under load.
    webhookAlertsTimer ??= setTimeout(() => {
      webhookAlertsTimer = undefined;
      healthChanged();
    }, 250);
    if (webhooksPushTimer || emitter.listenerCount('webhooks.changed') === 0) return;
    webhooksPushTimer = setTimeout(() => {
      webhooksPushTimer = undefined;
      emitter.emit('webhooks.changed', { open: store.webhookDeliveries.openCount() });
    }, 250);
  };
  shutdown.onStop(() => {
    clearTimeout(webhooksPushTimer);
    clearTimeout(webhookAlertsTimer);
  });
  const webhooks = createWebhookService({
    store,
    clock,
    logger: logger.child({ loop: 'webhooks' }),
    vault: () => getVault(),
    version: TILL_VERSION,
    signal: shutdown.signal,
    changed: webhooksChanged,
    ...options.webhooks,
  });
  // Every outbox write also wakes the webhook dispatcher, so a payment reaches the shop at once,
  // and the sweeper, so a confirmed invoice's funds are looked at at once.
  const outboxWritten = (): void => {
    publishOutbox();
    webhooks.wake();
    sweeper.wakeAll();
  };

  // The sweeper uses the scanner's RPC pool of a chain while it runs (one view of endpoint health),
  // else one of its own per chain and URL list.
  const sweeperPools = new Map<number, { key: string; pool: RpcPool }>();
  shutdown.onStop(() => {
    for (const { pool } of sweeperPools.values()) pool.close();
  });
  const sweeperPool = (chainId: number): RpcPool | undefined => {
    const running = supervisor?.pool(chainId);
    if (running) return running;
    // With scanners running, the sweeper waits for the chain's own pool: a second pool would ask the
    // same endpoints everything again, breakers and cooldowns included.
    if (supervisor && store.chains.get(chainId)?.enabled) return undefined;
    const chain = store.chains.get(chainId);
    if (!chain) throw new TillError('CHAIN_NOT_FOUND', `Chain ${chainId} is not configured.`);
    const key = JSON.stringify(chain.rpcUrls);
    const cached = sweeperPools.get(chainId);
    if (cached?.key === key) return cached.pool;
    cached?.pool.close();
    const pool = createRpcPool({
      ...options.rpcTuning,
      chainId,
      urls: chain.rpcUrls,
      logger: logger.child({ chainId, part: 'rpc' }),
      clock,
    });
    sweeperPools.set(chainId, { key, pool });
    return pool;
  };
  let sweepsPushTimer: NodeJS.Timeout | undefined;
  shutdown.onStop(() => clearTimeout(sweepsPushTimer));
  const sweeper = createSweeperService({
    store,
    clock,
    logger,
    vault: () => getVault(),
    pool: sweeperPool,
    changed() {
      outboxWritten();
      healthChanged();
      if (sweepsPushTimer || emitter.listenerCount('sweeps.changed') === 0) return;
      sweepsPushTimer = setTimeout(() => {
        sweepsPushTimer = undefined;
        emitter.emit('sweeps.changed', { inFlight: store.sweeps.openCount() });
      }, 250);
    },
  });

  const backups = createBackups({ db, store, dataDir: options.dataDir, clock, logger: logger.child({ loop: 'backups' }) });

  const ctx: EngineContext = {
    version: TILL_VERSION,
    host: options.host,
    dataDir: options.dataDir,
    databaseFile: databasePath(options.dataDir),
    chooseExportFile: options.chooseExportFile,
    openDisplayWindow: options.openDisplayWindow,
    store,
    clock,
    logger,
    walletDeps: { store, clock, openVault: getVault },
    invoiceDeps: {
      store,
      clock,
      addressAt: (index) => pool.addressAt(index),
      // Later bound: ctx is this very object.
      rates: { rpcFor: (chainId) => ctx.rpcFor(chainId), signal: shutdown.signal },
    },
    actor: options.actor ?? options.host,
    status,
    chainHealth,
    rpcFor(chainId) {
      const running = supervisor?.pool(chainId);
      if (running) return { pool: running, close: () => {} };
      const chain = store.chains.get(chainId);
      if (!chain) throw new TillError('CHAIN_NOT_FOUND', `Chain ${chainId} is not configured.`);
      const pool = createRpcPool({ chainId, urls: chain.rpcUrls, logger: logger.child({ chainId, part: 'rpc' }), clock });
      return { pool, close: () => pool.close() };
    },
    wakeChain: (chainId) => supervisor?.wake(chainId),
    signal: shutdown.signal,
    statusChanged: () => {
      emitter.emit('engine.status', status());
      healthChanged();
    },
    outboxWritten,
    webhooks,
    sweeper,
    backups,
    async unlockVault(passphrase) {
      const opened = await openVault({
        keystore: options.keystore ?? 'auto',
        dataDir: options.dataDir,
        passphrase: async () => passphrase,
      });
      // A wrong passphrase fails here (VAULT_PASSPHRASE_WRONG), before anything relies on it.
      await opened.getSecret(WALLET_SECRET);
      vault = opened;
      ctx.statusChanged();
    },
  };
  const operations = createOperations(ctx);

  const invoke = async <M extends MethodName>(method: M, input: unknown): Promise<MethodOutput<M>> => {
    const spec = contract[method];
    if (!spec) throw new TillError('NOT_FOUND', `Unknown method ${String(method).slice(0, 64)}.`);
    const parsed = spec.input.safeParse(input ?? {});
    if (!parsed.success) throw validationErrorFrom(parsed.error);
    const operation = operations[method] as (input: unknown) => MethodOutput<M> | Promise<MethodOutput<M>>;
    return await operation(parsed.data);
  };

  if (options.background !== false) {
    // The app and till serve mark the folder as theirs while they run (till restore refuses then).
    shutdown.onStop(markRunning(options.dataDir, options.host === 'desktop' ? 'desktop app' : 'till serve', startedAt));
    shutdown.track(pool.run(shutdown.signal));
    shutdown.track(backups.run(shutdown.signal));
    supervisor = createScannerSupervisor({
      store,
      clock,
      logger,
      published: outboxWritten,
      healthChanged,
      poolTuning: options.rpcTuning,
    });
    shutdown.track(supervisor.run(shutdown.signal));
    shutdown.track(webhooks.run(shutdown.signal));
    shutdown.track(sweeper.run(shutdown.signal));
    // Expiry does not wait for a chain: an invoice expires on time even when its RPC is down.
    shutdown.track(
      (async () => {
        while (!shutdown.signal.aborted) {
          try {
            if (expireDueInvoices({ store, clock }) > 0) outboxWritten();
          } catch (error) {
            logger.error({ err: error }, 'expiry failed');
          }
          await sleep(1_000, shutdown.signal);
        }
      })(),
    );
    // Events written by another process on the same data dir (the CLI) reach the UI too.
    shutdown.track(
      (async () => {
        while (!shutdown.signal.aborted) {
          try {
            publishOutbox();
          } catch (error) {
            logger.error({ err: error }, 'outbox publish failed');
          }
          await sleep(500, shutdown.signal);
        }
      })(),
    );
  }
  logger.info({ dataDir: options.dataDir, host: options.host, version: TILL_VERSION }, 'engine started');

  return {
    store,
    logger,
    dataDir: options.dataDir,
    invoke,
    async call(method, input) {
      try {
        return { ok: true, value: await invoke(method, input) };
      } catch (error) {
        if (!(error instanceof TillError)) logger.error({ err: error, method }, 'operation failed');
        return { ok: false, error: toErrorData(error) };
      }
    },
    subscribe(event, listener) {
      emitter.on(event, listener);
      return () => emitter.off(event, listener);
    },
    publishOutbox,
    wakeWebhooks: () => webhooks.wake(),
    addressAt: (index) => pool.addressAt(index),
    invoiceDeps: ctx.invoiceDeps,
    webhookDeps: { store, clock, secrets: webhooks.secrets, actor: ctx.actor },
    sweeper,
    status,
    chainHealth,
    backups,
    async stop() {
      await shutdown.stop();
      logger.info('engine stopped');
    },
  };
}
