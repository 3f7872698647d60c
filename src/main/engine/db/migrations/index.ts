import type { Database } from 'better-sqlite3';
import { m0010Initial } from './0010-initial.ts';
import { m0020PaymentDetection } from './0020-payment-detection.ts';
import { m0030Webhooks } from './0030-webhooks.ts';
import { m0040Sweeper } from './0040-sweeper.ts';
import { m0060Checkout } from './0060-checkout.ts';
import { m0070CustomerDisplay } from './0070-customer-display.ts';
import { m0080InvoicePrices } from './0080-invoice-prices.ts';
import { m0090ExportOrder } from './0090-export-order.ts';
import { m0100NativeBalances } from './0100-native-balances.ts';
import { m0110PayerChecksums } from './0110-payer-checksums.ts';
import { m0120RecentBlockTimes } from './0120-recent-block-times.ts';

export interface Migration {
  /** Schema version after this migration; numbered in steps of 10 so fixes can slot in between. */
  version: number;
  name: string;
  up(db: Database): void;
}

/** In order. Never edit a released migration: add a new one. */
export const migrations: Migration[] = [
  m0010Initial,
  m0020PaymentDetection,
  m0030Webhooks,
  m0040Sweeper,
  m0060Checkout,
  m0070CustomerDisplay,
  m0080InvoicePrices,
  m0090ExportOrder,
  m0100NativeBalances,
  m0110PayerChecksums,
  m0120RecentBlockTimes,
];
export const LATEST_SCHEMA_VERSION = migrations.at(-1)?.version ?? 0;
