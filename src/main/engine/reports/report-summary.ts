import { formatAmount } from '../../../shared/amounts.ts';
import {
  reportRange,
  reportTokenKey,
  type ReportDayRow,
  type ReportPeriod,
  type ReportSummary,
  type ReportSweepFees,
  type ReportToken,
  type ReportTokenTotal,
} from '../../../shared/reports.ts';
import type { Database } from '../db/connection.ts';
import {
  INVOICE_TIME,
  inRange,
  OPEN_INVOICE_STATUSES,
  PAID_INVOICE_STATUSES,
  PAYMENT_TIME,
  PAYMENT_TOKEN_COLUMNS,
  PAYMENTS_FROM,
  RECEIVED_PAYMENT,
  SWEEP_FEE,
  SWEEP_TIME,
  UNKNOWN_TOKEN,
} from '../exports/books-definitions.ts';

interface ReceivedRow {
  day: string;
  chain_id: number;
  chain: string | null;
  token_address: string | null;
  token_symbol: string | null;
  token_decimals: number | null;
  amount: string;
}

interface FeeRow {
  chain_id: number;
  chain: string | null;
  native_symbol: string | null;
  native_decimals: number | null;
  fee: string;
}

/** Base units as the export writes them: token units where the decimals are known. */
const units = (value: bigint, decimals: number | null): string =>
  decimals === null ? value.toString() : formatAmount(value, decimals);

/**
 * The period's books from the store, one read transaction (so the parts agree with each other).
 * Amounts are stored as decimal text and summed here as bigint: SQLite's SUM would turn them into
 * floats.
 */
export function reportSummary(db: Database, period: ReportPeriod): ReportSummary {
  const range = reportRange(period);
  return db.transaction(() => {
    const received = db
      .prepare(
        `SELECT substr(${PAYMENT_TIME}, 1, 10) AS day, p.chain_id, c.name AS chain, p.token_address, ${PAYMENT_TOKEN_COLUMNS}, p.amount
         FROM ${PAYMENTS_FROM}
         WHERE ${inRange(PAYMENT_TIME)} AND ${RECEIVED_PAYMENT}
         ORDER BY p.block_time, p.id`,
      )
      .all(range) as ReceivedRow[];

    const tokens = new Map<string, ReportToken & { sum: bigint; payments: number }>();
    const days = new Map<string, Map<string, bigint>>();
    for (const row of received) {
      const key = reportTokenKey(row.chain_id, row.token_address);
      const amount = BigInt(row.amount);
      const token = tokens.get(key) ?? {
        key,
        chainId: row.chain_id,
        chain: row.chain,
        tokenAddress: row.token_address,
        symbol: row.token_symbol ?? UNKNOWN_TOKEN,
        decimals: row.token_symbol === null ? null : row.token_decimals,
        sum: 0n,
        payments: 0,
      };
      token.sum += amount;
      token.payments += 1;
      tokens.set(key, token);
      const day = days.get(row.day) ?? new Map<string, bigint>();
      day.set(key, (day.get(key) ?? 0n) + amount);
      days.set(row.day, day);
    }

    const tokenTotals: ReportTokenTotal[] = [...tokens.values()]
      .sort((a, b) => a.chainId - b.chainId || a.symbol.localeCompare(b.symbol))
      .map(({ sum, ...token }) => ({ ...token, received: units(sum, token.decimals) }));
    const dayRows: ReportDayRow[] = [...days.entries()].map(([day, amounts]) => ({
      day,
      received: Object.fromEntries(
        [...amounts.entries()].map(([key, amount]) => [key, units(amount, tokens.get(key)!.decimals)]),
      ),
    }));

    const feeRows = db
      .prepare(
        `SELECT s.chain_id, c.name AS chain, c.native_symbol, c.native_decimals, ${SWEEP_FEE} AS fee
         FROM sweeps s LEFT JOIN chains c ON c.chain_id = s.chain_id
         WHERE ${inRange(SWEEP_TIME)} AND ${SWEEP_FEE} IS NOT NULL
         ORDER BY s.chain_id, s.seq`,
      )
      .all(range) as FeeRow[];
    const fees = new Map<number, Omit<ReportSweepFees, 'fee'> & { sum: bigint; decimals: number | null }>();
    for (const row of feeRows) {
      const chain = fees.get(row.chain_id) ?? {
        chainId: row.chain_id,
        chain: row.chain,
        nativeSymbol: row.native_symbol,
        decimals: row.native_decimals,
        sum: 0n,
        sweeps: 0,
      };
      chain.sum += BigInt(row.fee);
      chain.sweeps += 1;
      fees.set(row.chain_id, chain);
    }
    const sweepFees: ReportSweepFees[] = [...fees.values()].map(({ sum, decimals, ...chain }) => ({
      ...chain,
      fee: units(sum, decimals),
    }));

    const statuses = db
      .prepare(`SELECT i.status, count(*) AS n FROM invoices i WHERE ${inRange(INVOICE_TIME)} GROUP BY i.status`)
      .all(range) as { status: string; n: number }[];
    const count = (wanted: readonly string[]) =>
      statuses.filter((row) => wanted.includes(row.status)).reduce((sum, row) => sum + row.n, 0);

    return {
      period,
      range,
      tokens: tokenTotals,
      days: dayRows,
      sweepFees,
      invoices: {
        created: statuses.reduce((sum, row) => sum + row.n, 0),
        paid: count(PAID_INVOICE_STATUSES),
        open: count(OPEN_INVOICE_STATUSES),
        expired: count(['expired']),
        invalid: count(['invalid']),
      },
    };
  })();
}
