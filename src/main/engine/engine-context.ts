import type { Logger } from 'pino';
import type { EngineStatus } from '../../shared/domain.ts';
import type { Store } from './db/store.ts';
import type { CreateInvoiceDeps } from './invoices/create-invoice.ts';
import type { Clock } from './lib/clock.ts';
import type { WalletOpsDeps } from './api/wallet-ops.ts';

/** What the operations need from the engine that hosts them. */
export interface EngineContext {
  version: string;
  host: 'desktop' | 'browser';
  dataDir: string;
  store: Store;
  clock: Clock;
  logger: Logger;
  walletDeps: WalletOpsDeps;
  invoiceDeps: CreateInvoiceDeps;
  status(): EngineStatus;
  /** Something the status bar shows changed (wallet, treasury, chains). */
  statusChanged(): void;
  /** New outbox rows exist: push them to the UI now rather than at the next poll. */
  outboxWritten(): void;
}
