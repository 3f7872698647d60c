import { getAddress, parseEther, parseUnits, type Address } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Invoice } from '../src/shared/domain.ts';
import { databasePath } from '../src/main/engine/engine.ts';
import { exportStream } from '../src/main/engine/exports/csv-export.ts';
import { startHttpServer } from '../src/main/engine/http/server.ts';
import { startAnvil, type Anvil } from './fixtures/anvil.ts';
import { startSweepHarness, type SweepHarness } from './fixtures/sweep-harness.ts';
import { runTill } from './fixtures/till-serve.ts';
import { parseCsv } from './fixtures/csv.ts';

describe('CSV exports of invoices, payments and sweeps', () => {
  let anvil: Anvil;
  let till: SweepHarness;
  let http: Awaited<ReturnType<typeof startHttpServer>>;
  const invoices: Record<'native' | 'usdc' | 'partial' | 'late', Invoice> = {} as never;
  beforeAll(async () => {
    anvil = await startAnvil({ hardfork: 'prague' });
    till = await startSweepHarness(anvil);
    http = await startHttpServer({ engine: till.engine, host: '127.0.0.1', port: 0 });
    const { chainId } = till;
    invoices.native = await till.engine.invoke('invoices.create', {
      chainId,
      token: 'native',
      amount: '0.05',
      orderId: 'A-1, "gift"',
    });
    invoices.usdc = await till.create('USDC', '12.5');
    invoices.partial = await till.create('USDC', '10');
    invoices.late = await till.engine.invoke('invoices.create', {
      chainId,
      token: 'native',
      amount: '0.02',
      expiresInSeconds: 1,
    });
    await till.until(invoices.late.id, (now) => now.status === 'expired', 'the late invoice to expire');
    // Block times are whole seconds: wait until the next block's time is past the expiry too.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await till.pay(invoices.native);
    await till.pay(invoices.usdc);
    await till.pay(invoices.partial, parseUnits('4', 6));
    await till.pay(invoices.late);
    for (const key of ['native', 'usdc', 'late'] as const) await till.confirm(invoices[key]);
    // Native deposits go by the policy; the USDC one (no price on anvil) by "Sweep now".
    await till.engine.invoke('sweeps.run', { chainId });
    for (const key of ['native', 'usdc', 'late'] as const)
      invoices[key] = await till.until(
        invoices[key].id,
        (now) => now.status === 'settled' || (void till.mine(1), false),
        `${key} settled`,
        60_000,
      );
    invoices.partial = await till.invoice(invoices.partial.id);
  }, 180_000);
  afterAll(async () => {
    await http?.close();
    await till?.close();
    await anvil?.stop();
  });

  it('invoices: one row each with exact amounts, status, exception and the sweep, RFC 4180 quoted', async () => {
    const { stdout, code, stderr } = await runTill(till.dataDir, ['export', 'invoices']);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('"A-1, ""gift"""');
    const rows = parseCsv(stdout);
    expect(rows.map((row) => row.invoice_id).sort()).toEqual(
      Object.values(invoices)
        .map((invoice) => invoice.id)
        .sort(),
    );
    const byId = new Map(rows.map((row) => [row.invoice_id, row]));
    expect(byId.get(invoices.native.id)).toMatchObject({
      order_id: 'A-1, "gift"',
      status: 'settled',
      exception: '',
      chain_id: String(till.chainId),
      token: 'ETH',
      token_address: '',
      amount: '0.05',
      amount_received: '0.05',
      price_amount: '',
      settled_at: invoices.native.settledAt,
      sweep_tx_hash: invoices.native.sweep!.txHash,
      created_at: invoices.native.createdAt,
    });
    expect(byId.get(invoices.usdc.id)).toMatchObject({
      status: 'settled',
      token: 'USDC',
      token_address: getAddress(till.tokens.usdc),
      amount: '12.5',
      sweep_tx_hash: invoices.usdc.sweep!.txHash,
    });
    expect(byId.get(invoices.partial.id)).toMatchObject({
      status: 'pending',
      exception: 'underpaid',
      amount: '10',
      amount_received: '4',
      sweep_tx_hash: '',
    });
    expect(byId.get(invoices.late.id)).toMatchObject({ status: 'settled', exception: 'paid_late', amount_received: '0.02' });
  });

  it('payments: time, invoice, token, exact amount, payer, transaction, block and confirmations', async () => {
    const { stdout } = await runTill(till.dataDir, ['export', 'payments']);
    const rows = parseCsv(stdout);
    expect(rows).toHaveLength(4);
    for (const invoice of Object.values(invoices)) {
      const payment = invoice.payments[0]!;
      const row = rows.find((candidate) => candidate.tx_hash === payment.txHash)!;
      expect(row).toMatchObject({
        invoice_id: invoice.id,
        token: invoice.token.symbol,
        amount: payment.amount,
        payer: payment.from,
        to_address: invoice.address,
        // A native transfer has no log: an empty cell, as the API's null.
        log_index: payment.logIndex === null ? '' : String(payment.logIndex),
        block_number: String(payment.blockNumber),
        status: 'confirmed',
        counted: 'yes',
      });
      expect(Number(row.confirmations)).toBeGreaterThanOrEqual(2);
    }
  });

  it('sweeps: each swept deposit with its amount and its share of the fee from the receipts; the deployment is a row too', async () => {
    const { stdout } = await runTill(till.dataDir, ['export', 'sweeps', '--out', `${till.dataDir}/sweeps.csv`]);
    expect(stdout).toMatch(/^\d+ sweeps row\(s\) written to /);
    const { readFileSync } = await import('node:fs');
    const rows = parseCsv(readFileSync(`${till.dataDir}/sweeps.csv`, 'utf8'));
    const final = rows.filter((row) => row.status === 'final');
    for (const key of ['native', 'usdc', 'late'] as const) {
      const invoice = invoices[key];
      const row = final.find((candidate) => candidate.invoice_id === invoice.id)!;
      expect(row).toMatchObject({ tx_hash: invoice.sweep!.txHash, fee_native: invoice.sweep!.gasCost, native_coin: 'ETH' });
      expect(row.token).toBe(invoice.token.symbol);
    }
    // The treasury holds exactly what the export says reached it.
    const nativeIn = final.filter((row) => row.token === 'ETH').reduce((sum, row) => sum + parseEther(row.amount!), 0n);
    expect(nativeIn).toBe(await till.treasuryBalance('native'));
    const usdcIn = final.filter((row) => row.token === 'USDC').reduce((sum, row) => sum + parseUnits(row.amount!, 6), 0n);
    expect(usdcIn).toBe(await till.treasuryBalance(till.tokens.usdc as Address));
    const deploy = final.find((row) => row.strategy === 'deploy')!;
    expect(deploy).toMatchObject({ deposit_address: '', invoice_id: '' });
    expect(deploy.fee_native).toBe(deploy.sweep_fee_native);
    expect(BigInt(deploy.sweep_gas_used!)).toBeGreaterThan(100_000n);
  });

  it('a period: from inclusive, to exclusive; a bad time is refused with what to write', async () => {
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    expect(parseCsv((await runTill(till.dataDir, ['export', 'invoices', '--from', tomorrow])).stdout)).toEqual([]);
    const created = invoices.usdc.createdAt;
    const to = parseCsv((await runTill(till.dataDir, ['export', 'invoices', '--to', created])).stdout);
    expect(to.map((row) => row.invoice_id)).toEqual([invoices.native.id]);
    const from = parseCsv((await runTill(till.dataDir, ['export', 'invoices', '--from', created])).stdout);
    expect(from.map((row) => row.invoice_id)).not.toContain(invoices.native.id);
    expect(from.map((row) => row.invoice_id)).toContain(invoices.usdc.id);
    const bad = await runTill(till.dataDir, ['export', 'invoices', '--from', 'last month']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/VALIDATION_FAILED.*a day such as 2026-11-01/);
    expect((await runTill(till.dataDir, ['export', 'refunds'])).stderr).toContain('choose one of invoices, payments, sweeps');
  });

  it('over HTTP: GET /api/v1/exports/{kind}.csv needs invoices:read and answers the same CSV, streamed', async () => {
    const key = async (scopes: ('invoices:read' | 'invoices:write' | 'admin')[]) =>
      (await till.engine.invoke('apiKeys.create', { name: scopes.join('+'), scopes })).secret;
    const reader = await key(['invoices:read']);
    const writer = await key(['invoices:write']);
    const url = `${http.url}/api/v1/exports/invoices.csv`;
    expect((await fetch(url)).status).toBe(401);
    const forbidden = await fetch(url, { headers: { authorization: `Bearer ${writer}` } });
    expect(forbidden.status).toBe(403);
    expect(((await forbidden.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
    const response = await fetch(url, { headers: { authorization: `Bearer ${reader}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(response.headers.get('content-disposition')).toMatch(/attachment; filename="till-invoices-\d{4}-\d{2}-\d{2}\.csv"/);
    expect(response.headers.get('content-length')).toBeNull();
    expect(await response.text()).toBe((await runTill(till.dataDir, ['export', 'invoices'])).stdout);
    const bad = await fetch(`${url}?from=yesterday`, { headers: { authorization: `Bearer ${reader}` } });
    expect(bad.status).toBe(400);
    for (const kind of ['payments', 'sweeps'])
      expect(
        (await fetch(`${http.url}/api/v1/exports/${kind}.csv`, { headers: { authorization: `Bearer ${reader}` } })).status,
      ).toBe(200);
  });

  it('reads rows only as fast as they are taken: the first chunk leaves the query open', async () => {
    // 20,000 more invoices, copies of one, written straight into the store.
    const db = till.engine.store.db;
    const insert = db.prepare(
      `INSERT INTO invoices (id, chain_id, token_address, token_symbol, token_decimals, amount, amount_received, address,
         derivation_index, payment_uri, order_id, metadata, status, exception_status, created_at, expires_at)
       SELECT id || @n, chain_id, token_address, token_symbol, token_decimals, amount, amount_received, printf('0x%040x', 1000000 + @n),
         derivation_index + 100000 + @n, payment_uri, order_id, metadata, 'expired', NULL, created_at, expires_at
       FROM invoices WHERE id = @id`,
    );
    db.transaction(() => {
      for (let i = 0; i < 20_000; i++) insert.run({ n: i, id: invoices.partial.id });
    })();
    const seen: number[] = [];
    const stream = exportStream(
      databasePath(till.dataDir),
      'invoices',
      {},
      { rowsPerChunk: 100, onChunk: (lines) => seen.push(lines) },
    );
    const reader = stream.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value).startsWith('invoice_id,order_id,created_at')).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 200));
    // A high-water mark of one chunk: at most the chunk read and the next are made.
    expect(Math.max(...seen)).toBeLessThanOrEqual(200);
    let lines = 0;
    for (let next = first; !next.done; next = await reader.read())
      lines += new TextDecoder().decode(next.value).split('\r\n').length - 1;
    expect(lines).toBe(1 + 4 + 20_000);
    expect(seen.at(-1)).toBe(20_005);
  });
});
