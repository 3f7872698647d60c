import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseUnits } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract } from '../../../shared/contract.ts';
import { reportRange, reportTokenKey, type ReportSummary } from '../../../shared/reports.ts';
import { openDatabase, type Database } from '../db/connection.ts';
import { isReceived } from '../exports/books-definitions.ts';
import { exportLines } from '../exports/csv-export.ts';
import { reportSummary } from './report-summary.ts';
import { parseCsv } from '../../../../test/fixtures/csv.ts';

const ANVIL = 31337;
const BASE = 8453;
const ANVIL_USDC = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const BASE_USDC = '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913';
/** A token that was paid in and later removed from the registry: its symbol and decimals are unknown. */
const REMOVED_TOKEN = '0x00000000000000000000000000000000000000aa';

let invoiceSeq = 0;
function seed(db: Database): void {
  const at = '2026-10-01T00:00:00.000Z';
  const chain = db.prepare(
    `INSERT INTO chains (chain_id, name, rpc_urls, confirmations, poll_interval_ms, native_symbol, native_decimals, created_at, updated_at)
     VALUES (?, ?, '[]', 2, 1000, 'ETH', 18, @at, @at)`.replace(/@at/g, `'${at}'`),
  );
  chain.run(ANVIL, 'Anvil');
  chain.run(BASE, 'Base');
  const token = db.prepare('INSERT INTO tokens (chain_id, address, symbol, decimals) VALUES (?, ?, ?, ?)');
  token.run(ANVIL, ANVIL_USDC, 'USDC', 6);
  token.run(BASE, BASE_USDC, 'USDC', 6);

  const invoice = (
    id: string,
    options: { chainId?: number; token?: string | null; status: string; exception?: string; createdAt: string },
  ) => {
    invoiceSeq++;
    const tokenAddress = options.token ?? null;
    db.prepare(
      `INSERT INTO invoices (id, chain_id, token_address, token_symbol, token_decimals, amount, amount_received, address,
         derivation_index, payment_uri, status, exception_status, created_at, expires_at, monitor_until)
       VALUES (@id, @chainId, @tokenAddress, @symbol, @decimals, '1', '0', @address, @index, 'ethereum:x', @status, @exception,
         @createdAt, @createdAt, '2027-01-01T00:00:00.000Z')`,
    ).run({
      id,
      chainId: options.chainId ?? ANVIL,
      tokenAddress,
      symbol: tokenAddress ? 'USDC' : 'ETH',
      decimals: tokenAddress ? 6 : 18,
      address: `0x${invoiceSeq.toString(16).padStart(40, '0')}`,
      index: invoiceSeq,
      status: options.status,
      exception: options.exception ?? null,
      createdAt: options.createdAt,
    });
  };
  invoice('inv_native', { status: 'settled', createdAt: '2026-11-03T09:00:00.000Z' });
  invoice('inv_usdc', { token: ANVIL_USDC, status: 'settled', createdAt: '2026-11-03T09:30:00.000Z' });
  invoice('inv_partial', { token: ANVIL_USDC, status: 'pending', exception: 'underpaid', createdAt: '2026-11-09T00:00:00.000Z' });
  invoice('inv_late', { status: 'settled', exception: 'paid_late', createdAt: '2026-11-14T00:00:00.000Z' });
  invoice('inv_orphaned', { token: ANVIL_USDC, status: 'pending', createdAt: '2026-11-12T00:00:00.000Z' });
  invoice('inv_detected', { chainId: BASE, token: BASE_USDC, status: 'detected', createdAt: '2026-11-30T23:00:00.000Z' });
  invoice('inv_expired', { status: 'expired', createdAt: '2026-11-20T00:00:00.000Z' });
  invoice('inv_invalid', { status: 'invalid', createdAt: '2026-11-21T00:00:00.000Z' });
  invoice('inv_removed_token', { token: REMOVED_TOKEN, status: 'confirmed', createdAt: '2026-11-05T00:00:00.000Z' });
  invoice('inv_october', { token: ANVIL_USDC, status: 'confirmed', createdAt: '2026-10-31T23:00:00.000Z' });
  invoice('inv_december', { token: ANVIL_USDC, status: 'confirmed', createdAt: '2026-12-01T00:00:00.000Z' });

  let log = 0;
  const payment = (
    invoiceId: string,
    amount: bigint,
    blockTime: string,
    options: { chainId?: number; token?: string | null; status?: string; counted?: boolean } = {},
  ) => {
    log++;
    db.prepare(
      `INSERT INTO payments (chain_id, tx_hash, log_index, invoice_id, token_address, from_address, to_address, amount,
         block_number, block_hash, block_time, status, counted, detected_at, updated_at)
       VALUES (@chainId, @tx, @log, @invoiceId, @token, '0x1111111111111111111111111111111111111111',
         '0x2222222222222222222222222222222222222222', @amount, @block, '0xb', @blockTime, @status, @counted, @blockTime, @blockTime)`,
    ).run({
      chainId: options.chainId ?? ANVIL,
      tx: `0x${log.toString(16).padStart(64, '0')}`,
      log: options.token ? log : -1,
      invoiceId,
      token: options.token ?? null,
      amount: amount.toString(),
      block: 100 + log,
      blockTime,
      status: options.status ?? 'confirmed',
      counted: options.counted === false ? 0 : 1,
    });
  };
  payment('inv_native', parseUnits('0.05', 18), '2026-11-03T10:00:00.000Z');
  payment('inv_usdc', parseUnits('12.5', 6), '2026-11-03T11:00:00.000Z', { token: ANVIL_USDC });
  payment('inv_partial', parseUnits('4', 6), '2026-11-10T08:00:00.000Z', { token: ANVIL_USDC });
  payment('inv_late', parseUnits('0.02', 18), '2026-11-15T12:00:00.000Z');
  // After the monitoring window: not counted towards the invoice, but in the wallet all the same.
  payment('inv_late', parseUnits('0.000000000000000001', 18), '2026-11-20T12:00:00.000Z', { counted: false });
  payment('inv_orphaned', parseUnits('7', 6), '2026-11-12T08:00:00.000Z', { token: ANVIL_USDC, status: 'orphaned' });
  payment('inv_detected', parseUnits('1.000001', 6), '2026-11-30T23:59:59.999Z', {
    chainId: BASE,
    token: BASE_USDC,
    status: 'pending',
  });
  payment('inv_removed_token', 555n, '2026-11-05T00:00:00.000Z', { token: REMOVED_TOKEN });
  payment('inv_october', parseUnits('3', 6), '2026-10-31T23:59:59.999Z', { token: ANVIL_USDC });
  payment('inv_december', parseUnits('100', 6), '2026-12-01T00:00:00.000Z', { token: ANVIL_USDC });

  let sweepSeq = 0;
  const sweep = (
    kind: string,
    status: string,
    options: { chainId?: number; fee: bigint | null; createdAt: string; minedAt?: string; finalAt?: string },
    items: { invoiceId: string; token: string; swept: bigint; feeShare: bigint | null }[] = [],
  ) => {
    sweepSeq++;
    const id = `swp_${sweepSeq}`;
    db.prepare(
      `INSERT INTO sweeps (id, chain_id, kind, status, trigger, value, estimated_gas, estimated_fee, gas_used, fee, tx_hash,
         block_number, created_at, mined_at, final_at, updated_at)
       VALUES (@id, @chainId, @kind, @status, 'policy', '0', 21000, '1', @gasUsed, @fee, @tx, @block, @createdAt, @minedAt, @finalAt, @createdAt)`,
    ).run({
      id,
      chainId: options.chainId ?? ANVIL,
      kind,
      status,
      gasUsed: options.fee === null ? null : 21_000,
      fee: options.fee?.toString() ?? null,
      tx: options.minedAt ? `0x${(1000 + sweepSeq).toString(16).padStart(64, '0')}` : null,
      block: options.minedAt ? 200 + sweepSeq : null,
      createdAt: options.createdAt,
      minedAt: options.minedAt ?? null,
      finalAt: options.finalAt ?? null,
    });
    items.forEach((item, index) =>
      db
        .prepare(
          `INSERT INTO sweep_items (sweep_id, chain_id, address, token, derivation_index, invoice_id, reason, amount, swept, fee_share, open)
           VALUES (?, ?, ?, ?, ?, ?, 'invoice', ?, ?, ?, 0)`,
        )
        .run(
          id,
          options.chainId ?? ANVIL,
          `0x${(sweepSeq * 10 + index).toString(16).padStart(40, '0')}`,
          item.token,
          sweepSeq * 10 + index,
          item.invoiceId,
          item.swept.toString(),
          item.swept.toString(),
          item.feeShare?.toString() ?? null,
        ),
    );
  };
  const gwei = 1_000_000_000n;
  sweep('deploy', 'final', {
    fee: 1_234_567n * gwei,
    createdAt: '2026-11-03T12:00:00.000Z',
    minedAt: '2026-11-03T12:00:10.000Z',
    finalAt: '2026-11-03T12:00:30.000Z',
  });
  sweep(
    'native',
    'final',
    {
      fee: 21_000n * 3n * gwei,
      createdAt: '2026-11-04T00:00:00.000Z',
      minedAt: '2026-11-04T00:00:05.000Z',
      finalAt: '2026-11-04T00:01:00.000Z',
    },
    [{ invoiceId: 'inv_native', token: 'native', swept: parseUnits('0.049', 18), feeShare: 21_000n * 3n * gwei }],
  );
  // An odd fee over two deposits: the shares carry the remainder, the sweep's fee is what was paid.
  sweep(
    'eip7702',
    'final',
    {
      fee: 90_001n * gwei + 1n,
      createdAt: '2026-11-16T00:00:00.000Z',
      minedAt: '2026-11-16T00:00:05.000Z',
      finalAt: '2026-11-16T00:01:00.000Z',
    },
    [
      { invoiceId: 'inv_usdc', token: ANVIL_USDC, swept: parseUnits('12.5', 6), feeShare: 45_000n * gwei + 500_000_001n },
      { invoiceId: 'inv_partial', token: ANVIL_USDC, swept: parseUnits('4', 6), feeShare: 45_000n * gwei + 500_000_000n },
    ],
  );
  // Reverted: it cost gas, and its deposit has no share of the fee.
  sweep('native', 'failed', { fee: 7n * gwei, createdAt: '2026-11-20T00:00:00.000Z', minedAt: '2026-11-20T00:00:05.000Z' }, [
    { invoiceId: 'inv_late', token: 'native', swept: 0n, feeShare: null },
  ]);
  sweep('native', 'pending', { fee: null, createdAt: '2026-11-29T00:00:00.000Z' }, [
    { invoiceId: 'inv_late', token: 'native', swept: parseUnits('0.02', 18), feeShare: null },
  ]);
  sweep('native', 'final', {
    chainId: BASE,
    fee: 5n * gwei,
    createdAt: '2026-11-30T00:00:00.000Z',
    minedAt: '2026-11-30T00:00:01.000Z',
    finalAt: '2026-11-30T00:00:20.000Z',
  });
  // Ended in December: outside November although it was created in it.
  sweep('native', 'final', {
    fee: 999n * gwei,
    createdAt: '2026-11-30T23:59:00.000Z',
    minedAt: '2026-11-30T23:59:50.000Z',
    finalAt: '2026-12-01T00:00:10.000Z',
  });
}

describe('reports.summary', () => {
  let dir: string;
  let db: Database;
  let summary: ReportSummary;
  const november = { from: '2026-11-01', to: '2026-11-30' };
  const exported = (kind: 'invoices' | 'payments' | 'sweeps') =>
    parseCsv([...exportLines(db, kind, reportRange(november))].join(''));

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'till-reports-'));
    db = openDatabase({ path: join(dir, 'till.db') });
    seed(db);
    summary = reportSummary(db, november);
  });
  afterAll(() => {
    db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('received per token equals the sum of the payments export rows that count as received', () => {
    const decimals = (row: Record<string, string>) => (row.token === 'ETH' ? 18 : row.token === 'USDC' ? 6 : 0);
    const fromExport = new Map<string, bigint>();
    for (const row of exported('payments').filter((candidate) => isReceived(candidate.status!))) {
      const key = reportTokenKey(Number(row.chain_id), row.token_address || null);
      fromExport.set(key, (fromExport.get(key) ?? 0n) + parseUnits(row.amount!, decimals(row)));
    }
    const fromSummary = new Map(
      summary.tokens.map((token) => [token.key, parseUnits(token.received, token.decimals ?? 0)] as const),
    );
    expect(fromSummary).toEqual(fromExport);
    // And the numbers themselves: late and uncounted payments in, orphaned and out-of-period ones out.
    expect(summary.tokens.map(({ key, symbol, received, payments }) => ({ key, symbol, received, payments }))).toEqual([
      { key: reportTokenKey(BASE, BASE_USDC), symbol: 'USDC', received: '1.000001', payments: 1 },
      { key: reportTokenKey(ANVIL, null), symbol: 'ETH', received: '0.070000000000000001', payments: 3 },
      { key: reportTokenKey(ANVIL, REMOVED_TOKEN), symbol: 'unknown token (base units)', received: '555', payments: 1 },
      { key: reportTokenKey(ANVIL, ANVIL_USDC), symbol: 'USDC', received: '16.5', payments: 2 },
    ]);
  });

  it('per day (UTC, by block time): each token a series of its own that adds up to its total', () => {
    const usdc = reportTokenKey(ANVIL, ANVIL_USDC);
    const eth = reportTokenKey(ANVIL, null);
    expect(summary.days.map((day) => day.day)).toEqual([
      '2026-11-03',
      '2026-11-05',
      '2026-11-10',
      '2026-11-15',
      '2026-11-20',
      '2026-11-30',
    ]);
    expect(summary.days[0]!.received).toEqual({ [eth]: '0.05', [usdc]: '12.5' });
    expect(summary.days.at(-1)!.received).toEqual({ [reportTokenKey(BASE, BASE_USDC)]: '1.000001' });
    for (const token of summary.tokens) {
      const sum = summary.days.reduce(
        (total, day) => total + (day.received[token.key] ? parseUnits(day.received[token.key]!, token.decimals ?? 0) : 0n),
        0n,
      );
      expect(sum, token.key).toBe(parseUnits(token.received, token.decimals ?? 0));
    }
  });

  it('sweep fees per chain equal the sweeps export: each sweep fee from its receipts once, failed ones too', () => {
    const bySweep = new Map<string, Record<string, string>>();
    for (const row of exported('sweeps')) if (row.sweep_fee_native) bySweep.set(row.sweep_id!, row);
    const fromExport = new Map<number, bigint>();
    for (const row of bySweep.values())
      fromExport.set(Number(row.chain_id), (fromExport.get(Number(row.chain_id)) ?? 0n) + parseUnits(row.sweep_fee_native!, 18));
    expect(new Map(summary.sweepFees.map((chain) => [chain.chainId, parseUnits(chain.fee, 18)] as const))).toEqual(fromExport);
    expect(summary.sweepFees).toEqual([
      { chainId: BASE, chain: 'Base', nativeSymbol: 'ETH', fee: '0.000000005', sweeps: 1 },
      { chainId: ANVIL, chain: 'Anvil', nativeSymbol: 'ETH', fee: '0.001387575000000001', sweeps: 4 },
    ]);
  });

  it('invoice counts are the invoices export rows of the period by status', () => {
    const rows = exported('invoices');
    const count = (...statuses: string[]) => rows.filter((row) => statuses.includes(row.status!)).length;
    expect(summary.invoices).toEqual({
      created: rows.length,
      paid: count('confirmed', 'settled'),
      open: count('pending', 'detected'),
      expired: count('expired'),
      invalid: count('invalid'),
    });
    expect(summary.invoices).toEqual({ created: 9, paid: 4, open: 3, expired: 1, invalid: 1 });
  });

  it('a period with nothing in it is empty, not an error', () => {
    expect(reportSummary(db, { from: '2025-01-01', to: '2025-01-31' })).toMatchObject({
      tokens: [],
      days: [],
      sweepFees: [],
      invoices: { created: 0, paid: 0, open: 0, expired: 0, invalid: 0 },
    });
  });

  it('the period: both days inclusive, impossible days and from after to refused with what to write', () => {
    const schema = contract['reports.summary'].input;
    expect(reportRange(november)).toEqual({ from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' });
    expect(schema.safeParse({ from: '2026-02-28', to: '2026-02-28' }).success).toBe(true);
    const message = (input: unknown) => schema.safeParse(input).error?.issues.map((issue) => issue.message);
    expect(message({ from: '2026-02-30', to: '2026-03-01' })).toEqual(['that day does not exist in the calendar']);
    expect(message({ from: '2026-11-30', to: '2026-11-01' })).toEqual([
      'the period must start on or before the day it ends (from ≤ to)',
    ]);
    expect(message({ from: 'last month', to: '2026-11-01' })).toEqual(['a day is written like 2026-11-01']);
  });
});
