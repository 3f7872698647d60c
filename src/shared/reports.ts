/**
 * The Reports screen's summary of a period: what was received per day and per token, the fees
 * sweeps cost, and how many invoices were created, paid, open and expired. Its numbers are the
 * CSV exports' (same rows, same definitions); amounts cross as exact decimal strings.
 */
import { z } from 'zod';

/** A calendar day in UTC, such as 2026-11-01, that exists (no 2026-02-30). */
const ReportDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'a day is written like 2026-11-01', abort: true })
  .refine((text) => {
    const ms = Date.parse(`${text}T00:00:00Z`);
    // Date.parse rolls 2026-02-30 over into March: a real day survives the round trip unchanged.
    return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === text;
  }, 'that day does not exist in the calendar');

/** Both days inclusive: November is from 2026-11-01 to 2026-11-30. */
export const ReportPeriodSchema = z
  .strictObject({ from: ReportDay, to: ReportDay })
  .refine((period) => period.from <= period.to, {
    message: 'the period must start on or before the day it ends (from ≤ to)',
    path: ['to'],
  });
export type ReportPeriod = z.infer<typeof ReportPeriodSchema>;

/**
 * The period as the exports take it (`from` inclusive, `to` exclusive, ISO-8601 UTC): the report
 * for 2026-11-01..2026-11-30 covers exactly `till export … --from 2026-11-01 --to 2026-12-01`.
 */
export function reportRange(period: ReportPeriod): { from: string; to: string } {
  const next = new Date(Date.parse(`${period.to}T00:00:00Z`) + 86_400_000);
  return { from: `${period.from}T00:00:00.000Z`, to: next.toISOString() };
}

/** One token on one chain; `key` tells series apart (the same symbol on two chains is two tokens). */
export interface ReportToken {
  key: string;
  chainId: number;
  chain: string | null;
  /** null: the chain's native coin. */
  tokenAddress: string | null;
  symbol: string;
  /** null: a token no longer in Till's registry; its amounts are then in base units, as in the export. */
  decimals: number | null;
}

export interface ReportTokenTotal extends ReportToken {
  /** Exact decimal in token units (base units where decimals is null). */
  received: string;
  payments: number;
}

export interface ReportDayRow {
  /** UTC day of the payments' blocks. */
  day: string;
  /** Per token key, exact decimal; a token with nothing that day is absent. */
  received: Record<string, string>;
}

export interface ReportSweepFees {
  chainId: number;
  chain: string | null;
  nativeSymbol: string | null;
  /** Exact decimal in the native coin: gas used × effective gas price, from the receipts. */
  fee: string;
  sweeps: number;
}

export interface ReportInvoiceCounts {
  /** Invoices created in the period; the others count among these by their status now. */
  created: number;
  /** Confirmed or settled (late payments included). */
  paid: number;
  /** Pending or detected: still waiting for (enough) payment or depth. */
  open: number;
  expired: number;
  invalid: number;
}

export interface ReportSummary {
  period: ReportPeriod;
  /** The same period as the CSV exports take it. */
  range: { from: string; to: string };
  tokens: ReportTokenTotal[];
  /** Days with payments only, oldest first. */
  days: ReportDayRow[];
  sweepFees: ReportSweepFees[];
  invoices: ReportInvoiceCounts;
}

export const reportTokenKey = (chainId: number, tokenAddress: string | null): string =>
  `${chainId}:${tokenAddress === null ? 'native' : tokenAddress.toLowerCase()}`;
