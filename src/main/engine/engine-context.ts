import type { Logger } from 'pino';
import type { ChainHealth, EngineStatus } from '../../shared/domain.ts';
import type { RpcPool } from './chains/rpc/rpc-pool.ts';
import type { Store } from './db/store.ts';
import type { CreateInvoiceDeps } from './invoices/create-invoice.ts';
import type { Clock } from './lib/clock.ts';
import type { WalletOpsDeps } from './api/wallet-ops.ts';
import type { WebhookSecretBox } from './webhooks/webhook-secrets.ts';
import type { SweeperService } from './sweeper/sweeper-service.ts';
import type { Backups } from './backup/backup-scheduler.ts';
import type { DisplayWindowScreen } from '../../shared/display.ts';

/** What the operations need from the engine that hosts them. */
export interface EngineContext {
  version: string;
  host: 'desktop' | 'browser';
  dataDir: string;
  databaseFile: string;
  /**
   * Asks the person where to save a file (the desktop app's save dialog); null when they cancel.
   * Absent in a host without one (till serve, the CLI).
   */
  chooseExportFile?: (suggestedName: string) => Promise<string | null>;
  /**
   * Opens (or brings forward) the customer display window and says on which screen (the
   * desktop app). Absent in a host without windows (till serve, the CLI).
   */
  openDisplayWindow?: () => Promise<DisplayWindowScreen>;
  store: Store;
  clock: Clock;
  logger: Logger;
  walletDeps: WalletOpsDeps;
  invoiceDeps: CreateInvoiceDeps;
  /** Who operator actions are logged as ("desktop", "browser-ui", "cli:alice"). */
  actor: string;
  status(): EngineStatus;
  chainHealth(): ChainHealth[];
  /** An RPC pool for a chain: the running scanner's, or a fresh one (closed by the caller via the returned close). */
  rpcFor(chainId: number): { pool: RpcPool; close(): void };
  /** A chain's configuration or position changed: let its scanner look now. */
  wakeChain(chainId: number): void;
  signal: AbortSignal;
  /** Something the status bar shows changed (wallet, treasury, chains). */
  statusChanged(): void;
  /** New outbox rows exist: push them to the UI now rather than at the next poll. */
  outboxWritten(): void;
  /** The sweeper: runs its loops only in a process with background loops that holds the lease. */
  sweeper: SweeperService;
  /** Backups of the store (scheduled daily, and on demand). */
  backups: Backups;
  /** Opens the file keystore with a passphrase given now (the desktop app has no terminal to ask). */
  unlockVault(passphrase: string): Promise<void>;
  webhooks: {
    secrets: WebhookSecretBox;
    /** Sends one queued delivery now (in this process) and waits for the attempt's outcome. */
    attemptNow(deliveryId: string): Promise<void>;
    /** Deliveries were queued: let the dispatcher look now. */
    wake(): void;
    /** Endpoints or deliveries changed (for the UI). */
    changed(): void;
  };
}
