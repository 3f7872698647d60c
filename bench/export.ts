// npm run bench:export — CSV exports of a large store. Prints figures; asserts nothing (see
// docs/BENCHMARKS.md). A real SQLite store (Till's migrations) is seeded in one transaction with
// 100,000 invoices, 200,000 payments and the sweeps of the settled invoices. Then, per round and
// kind, in a child process each (so one run's peak memory does not carry into the next):
// - Till: exportChunks() from csv-export.ts on its own read-only connection, through the same
//   Readable.from → pipeline → file stream as `till export --out`;
// - HTTP: exportStream(), the body of GET /api/v1/exports/{kind}.csv, piped to a file;
// - baseline: a bare `SELECT * FROM <table>` iterated with better-sqlite3's .iterate(), each row
//   joined with commas and written to a file stream line by line, waiting for 'drain'.
// Reported: rows/s (median of the rounds), Till's over the baseline's (median of per-round
// ratios), and peak RSS / heap growth over the child's level just before it started.
// Knobs: BENCH_INVOICES, BENCH_ROUNDS, BENCH_CPU_PROF=dir (a CPU profile of each Till export child).
import { fork } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, platform, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { openDatabase } from '../src/main/engine/db/connection.ts';
import { exportChunks, exportStream, openExportConnection } from '../src/main/engine/exports/csv-export.ts';
import type { ExportKind } from '../src/shared/exports.ts';
import { profiled } from './support/profile.ts';
import { checksumAddress } from '../src/main/engine/lib/checksum-address.ts';

const INVOICES = Number(process.env.BENCH_INVOICES ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const TARGET_RATIO = 0.5;
const TARGET_MEMORY_MIB = 50;
const MiB = 2 ** 20;

type Mode = 'till' | 'http' | 'baseline';
const KINDS = ['invoices', 'payments'] as const satisfies ExportKind[];

interface ChildResult {
  rows: number;
  ms: number;
  bytes: number;
  rssGrowth: number;
  heapGrowth: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Deterministic hex of `bytes` bytes from a counter (a store's addresses and hashes, lower case). */
const hexOf = (seed: number, bytes: number): string => {
  let out = '';
  let state = (seed * 2654435761) >>> 0;
  while (out.length < bytes * 2) {
    state = (Math.imul(state ^ (state >>> 13), 1274126177) + 0x9e3779b9) >>> 0;
    out += state.toString(16).padStart(8, '0');
  }
  return `0x${out.slice(0, bytes * 2)}`;
};

const USDC = '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48';

/** The store as Till writes it: the migrations, one chain with a token, and the rows in one transaction. */
function seed(file: string): void {
  const db = openDatabase({ path: file });
  const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms).toISOString();
  // The random keys (addresses, hashes) touch index pages all over the file: with the default
  // 2 MiB page cache, seeding 100,000 invoices took 100 s instead of a few.
  db.pragma('cache_size = -524288');
  db.transaction(() => {
    db.prepare(
      `INSERT INTO chains (chain_id, name, rpc_urls, confirmations, poll_interval_ms, start_block, native_symbol, native_decimals, created_at, updated_at)
       VALUES (1, 'Ethereum', '["http://127.0.0.1:8545"]', 12, 1000, 0, 'ETH', 18, ?, ?)`,
    ).run(at(0), at(0));
    db.prepare(`INSERT INTO tokens (chain_id, address, symbol, decimals) VALUES (1, ?, 'USDC', 6)`).run(USDC);
    db.prepare(`INSERT INTO scan_cursors (chain_id, block_number, block_hash, updated_at) VALUES (1, ?, ?, ?)`).run(
      30_000_000,
      hexOf(0, 32),
      at(0),
    );
    const invoice = db.prepare(
      `INSERT INTO invoices (id, chain_id, token_address, token_symbol, token_decimals, amount, amount_received, address,
         derivation_index, payment_uri, order_id, metadata, status, exception_status, created_at, expires_at, detected_at,
         confirmed_at, settled_at)
       VALUES (@id, 1, @token, @symbol, @decimals, @amount, @received, @address, @index, 'ethereum:x', @order, NULL, @status,
         @exception, @created, @expires, @detected, @confirmed, @settled)`,
    );
    const payment = db.prepare(
      `INSERT INTO payments (chain_id, tx_hash, log_index, invoice_id, token_address, from_address, to_address, amount,
         block_number, block_hash, block_time, status, counted, detected_at, updated_at)
       VALUES (1, @hash, @log, @invoice, @token, @from, @to, @amount, @block, @blockHash, @time, 'confirmed', 1, @time, @time)`,
    );
    const sweep = db.prepare(
      `INSERT INTO sweeps (id, chain_id, kind, token, status, trigger, value, estimated_gas, estimated_fee, gas_used, fee,
         tx_hash, block_number, block_hash, created_at, mined_at, final_at, updated_at)
       VALUES (@id, 1, 'eip7702', @token, 'final', 'fee', @value, 600000, '600000000000000', 593232, '593232000000000',
         @hash, @block, @blockHash, @time, @time, @time, @time)`,
    );
    const item = db.prepare(
      `INSERT INTO sweep_items (sweep_id, chain_id, address, token, derivation_index, invoice_id, reason, amount, swept, fee_share, open)
       VALUES (@sweep, 1, @address, @token, @index, @invoice, 'invoice paid', @amount, @amount, '29661600000000', 0)`,
    );
    const statuses = [
      'settled',
      'settled',
      'settled',
      'settled',
      'settled',
      'settled',
      'confirmed',
      'confirmed',
      'expired',
      'pending',
    ];
    let batch: { invoice: string; address: string; index: number; amount: string; token: string }[] = [];
    const flush = (n: number, time: string) => {
      const id = `swp_${n}`;
      const token = batch[0]!.token;
      sweep.run({
        id,
        token,
        value: '1',
        hash: hexOf(3_000_000 + n, 32),
        block: 29_000_000 + n,
        blockHash: hexOf(4_000_000 + n, 32),
        time,
      });
      for (const b of batch)
        item.run({ sweep: id, address: b.address, token: b.token, index: b.index, invoice: b.invoice, amount: b.amount });
      batch = [];
    };
    let sweeps = 0;
    for (let i = 0; i < INVOICES; i++) {
      const native = i % 2 === 1;
      const status = statuses[i % statuses.length]!;
      const amount = native ? `${(i % 97) + 1}0000000000000000` : `${(i % 9973) + 1}250000`;
      const paid = status !== 'pending';
      const t = i * 60_000;
      const id = `inv_${i.toString(36).padStart(10, '0')}`;
      // As Till stores them: deposit addresses checksummed when derived, payers when recorded
      // (migration 0110), the payment's to_address lower case as the scanner matched it.
      const address = checksumAddress(hexOf(i + 1, 20));
      invoice.run({
        id,
        token: native ? null : USDC,
        symbol: native ? 'ETH' : 'USDC',
        decimals: native ? 18 : 6,
        amount,
        received: paid ? amount : '0',
        address,
        index: i,
        // Some order ids need quoting in CSV.
        order: i % 10 === 0 ? `A-${i}, "gift"` : `order-${i}`,
        status,
        exception: i % 50 === 7 ? 'overpaid' : null,
        created: at(t),
        expires: at(t + 3_600_000),
        detected: paid ? at(t + 120_000) : null,
        confirmed: paid ? at(t + 300_000) : null,
        settled: status === 'settled' ? at(t + 900_000) : null,
      });
      // Two payments per invoice (a partial one and the rest), 200,000 for 100,000 invoices.
      for (let k = 0; k < 2; k++) {
        const half = native ? BigInt(amount) / 2n : BigInt(amount) / 2n;
        payment.run({
          hash: hexOf(1_000_000 + 2 * i + k, 32),
          log: native ? 0 : k + 3,
          invoice: id,
          token: native ? null : USDC,
          from: checksumAddress(hexOf(5_000_000 + 2 * i + k, 20)),
          to: address.toLowerCase(),
          amount: String(k === 0 ? half : BigInt(amount) - half),
          block: 20_000_000 + 10 * i + k,
          blockHash: hexOf(2_000_000 + 2 * i + k, 32),
          time: at(t + 60_000 + k * 12_000),
        });
      }
      if (status === 'settled') {
        batch.push({ invoice: id, address, index: i, amount, token: native ? 'native' : USDC });
        if (batch.length === 20) flush(sweeps++, at(t + 900_000));
      }
    }
    if (batch.length > 0) flush(sweeps++, at(INVOICES * 60_000));
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

// --- the child: one export, timed, with its memory sampled ---

async function child(mode: Mode, kind: ExportKind, file: string, out: string): Promise<ChildResult> {
  const baseRss = process.memoryUsage().rss;
  const baseHeap = process.memoryUsage().heapUsed;
  let peakRss = baseRss;
  let peakHeap = baseHeap;
  const sample = () => {
    const usage = process.memoryUsage();
    if (usage.rss > peakRss) peakRss = usage.rss;
    if (usage.heapUsed > peakHeap) peakHeap = usage.heapUsed;
  };
  // Between turns of the event loop; the loops below also sample every 2,000 rows, since a
  // synchronous stretch of rows would hide from a timer.
  const timer = setInterval(sample, 5);
  let rows = 0;
  const counted = function* (chunks: Iterable<{ bytes: Uint8Array; lines: number }>) {
    for (const chunk of chunks) {
      rows += chunk.lines;
      sample();
      yield chunk.bytes;
    }
  };
  const start = performance.now();
  if (mode === 'till') {
    const db = openExportConnection(file);
    try {
      await pipeline(Readable.from(counted(exportChunks(db, kind, {}))), createWriteStream(out));
    } finally {
      db.close();
    }
  } else if (mode === 'http') {
    const body = exportStream(file, kind, {}, { onChunk: (lines) => ((rows = lines), sample()) });
    await pipeline(Readable.fromWeb(body as never), createWriteStream(out));
  } else {
    const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
    const stream = createWriteStream(out);
    try {
      const table = kind === 'invoices' ? 'invoices' : 'payments';
      for (const row of db.prepare(`SELECT * FROM ${table}`).iterate() as IterableIterator<Record<string, unknown>>) {
        const line = `${Object.values(row).join(',')}\r\n`;
        if (++rows % 2_000 === 0) sample();
        if (!stream.write(line)) await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
      }
      stream.end();
      await new Promise<void>((resolve, reject) => stream.once('finish', () => resolve()).once('error', reject));
    } finally {
      db.close();
    }
  }
  const ms = performance.now() - start;
  clearInterval(timer);
  sample();
  // Till's rows include the header line; the baseline writes none.
  if (mode !== 'baseline') rows--;
  return { rows, ms, bytes: statSync(out).size, rssGrowth: peakRss - baseRss, heapGrowth: peakHeap - baseHeap };
}

function runChild(mode: Mode, kind: ExportKind, file: string, out: string, label: string): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const proc = fork(fileURLToPath(import.meta.url), ['--child', mode, kind, file, out, label], { stdio: 'inherit' });
    let result: ChildResult | undefined;
    proc.on('message', (message) => (result = message as ChildResult));
    proc.on('error', reject);
    proc.on('exit', (code) => (result && code === 0 ? resolve(result) : reject(new Error(`${label}: child exited ${code}`))));
  });
}

async function main() {
  const started = performance.now();
  const machine = `${cpus().length} × ${cpus()[0]?.model?.trim()}, ${fmt(totalmem() / 2 ** 30)} GiB, ${platform()} ${release()}, node ${process.version}`;
  console.log(`machine: ${machine}`);
  const dir = mkdtempSync(join(tmpdir(), 'till-bench-export-'));
  try {
    const file = join(dir, 'till.db');
    let t0 = performance.now();
    seed(file);
    console.log(
      `setup: ${fmt(INVOICES)} invoices, ${fmt(2 * INVOICES)} payments and their sweeps seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s (${fmt(statSync(file).size / MiB, 1)} MiB)`,
    );
    const results: Record<string, ChildResult[]> = {};
    for (let round = 0; round < ROUNDS; round++) {
      for (const kind of KINDS) {
        for (const mode of ['till', 'baseline', 'http'] as const) {
          t0 = performance.now();
          const label = `${kind}-${mode}-${round + 1}`;
          const result = await runChild(mode, kind, file, join(dir, `${label}.csv`), label);
          (results[`${kind}/${mode}`] ??= []).push(result);
          rmSync(join(dir, `${label}.csv`));
          console.log(
            `round ${round + 1} ${kind} ${mode}: ${fmt(result.rows)} rows in ${fmt(result.ms)} ms = ${fmt((result.rows * 1000) / result.ms)} rows/s, ${fmt(result.bytes / MiB, 1)} MiB, peak growth RSS ${fmt(result.rssGrowth / MiB, 1)} MiB, heap ${fmt(result.heapGrowth / MiB, 1)} MiB`,
          );
        }
      }
    }
    console.log('');
    console.log('=== bench:export summary ===');
    console.log(`machine: ${machine}, ${new Date().toISOString().slice(0, 10)}`);
    for (const kind of KINDS) {
      const rate = (r: ChildResult) => (r.rows * 1000) / r.ms;
      const base = results[`${kind}/baseline`]!;
      for (const mode of ['till', 'http'] as const) {
        const runs = results[`${kind}/${mode}`]!;
        const ratios = runs.map((r, i) => rate(r) / rate(base[i]!));
        const ratio = median(ratios);
        const rss = Math.max(...runs.map((r) => r.rssGrowth)) / MiB;
        const heap = Math.max(...runs.map((r) => r.heapGrowth)) / MiB;
        console.log(
          `${kind} ${mode === 'till' ? '(till export)' : '(HTTP stream)'}: ${fmt(median(runs.map(rate)))} rows/s vs bare SELECT ${fmt(median(base.map(rate)))} rows/s, ratio ${ratio.toFixed(2)} (per round ${ratios.map((r) => r.toFixed(2)).join(', ')}; target ≥ ${TARGET_RATIO}: ${ratio >= TARGET_RATIO ? 'met' : 'NOT met'}); peak growth RSS ${fmt(rss, 1)} MiB, heap ${fmt(heap, 1)} MiB (target < ${TARGET_MEMORY_MIB} MiB: ${rss < TARGET_MEMORY_MIB ? 'met' : 'NOT met'}); bare SELECT RSS ${fmt(Math.max(...base.map((r) => r.rssGrowth)) / MiB, 1)} MiB`,
        );
      }
    }
    console.log(`total run time ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') {
  const [mode, kind, file, out, label] = process.argv.slice(3) as [Mode, ExportKind, string, string, string];
  const run = () => child(mode, kind, file, out);
  const result = mode === 'baseline' ? await run() : await profiled(label, run);
  process.send!(result);
} else {
  await main();
}
