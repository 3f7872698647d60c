// npm run bench:api — invoices created per second through the merchant HTTP API with 100,000
// invoices already in the store, p50/p99 latency, next to the raw SQLite insert rate measured
// in the same run on the same machine. Prints figures; asserts nothing (see docs/BENCHMARKS.md).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import BetterSqlite3 from 'better-sqlite3';
import { Agent, setGlobalDispatcher } from 'undici';

const PRELOADED = Number(process.env.BENCH_PRELOADED ?? 100_000);
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 15_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const BIN = new URL('../bin/till.mjs', import.meta.url).pathname;
const MNEMONIC = 'test test test test test test test test test test test junk';

const dataDir = mkdtempSync(join(tmpdir(), 'till-bench-api-'));
const env = { ...process.env, TILL_DATA_DIR: dataDir, TILL_PASSPHRASE: 'bench-passphrase', TILL_LOG_LEVEL: 'warn' };

function till(args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('exit', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`till ${args.join(' ')} exited ${code}`))));
    child.stdin.end(input ?? '');
  });
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Baseline: one INSERT per transaction into a table shaped like invoices, same file system. */
function rawSqliteInsertRate(): number {
  const dir = mkdtempSync(join(tmpdir(), 'till-bench-raw-'));
  const db = new BetterSqlite3(join(dir, 'raw.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(
    `CREATE TABLE t (seq INTEGER PRIMARY KEY, id TEXT UNIQUE, address TEXT UNIQUE, idx INTEGER UNIQUE, amount TEXT, payload TEXT) STRICT`,
  );
  const insert = db.prepare('INSERT INTO t (id, address, idx, amount, payload) VALUES (?, ?, ?, ?, ?)');
  const tx = db.transaction((i: number) =>
    insert.run(`inv_${i}`, `0x${i.toString(16).padStart(40, '0')}`, i, '1500000', '{"a":1}'),
  );
  for (let i = 0; i < PRELOADED; i++)
    if (i % 1000 === 0)
      db.transaction(() => {
        for (let j = i; j < i + 1000; j++) insert.run(`inv_${j}`, `0x${j.toString(16).padStart(40, '0')}`, j, '1', '{}');
      })();
  const start = performance.now();
  let n = PRELOADED + 1000;
  const until = start + 3000;
  while (performance.now() < until) tx(n++);
  const rate = (n - PRELOADED - 1000) / ((performance.now() - start) / 1000);
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return rate;
}

/** Fills the store with PRELOADED invoices directly (derivation of 100,000 real addresses would take minutes and is not what is measured). */
function preload(): void {
  const db = new BetterSqlite3(join(dataDir, 'till.db'));
  const insert =
    db.prepare(`INSERT INTO invoices (id, chain_id, token_address, token_symbol, token_decimals, amount, amount_received, address,
      derivation_index, payment_uri, order_id, metadata, status, created_at, expires_at)
    VALUES (?, 31337, NULL, 'ETH', 18, '1500000000000000000', '0', ?, ?, 'ethereum:x', ?, NULL, 'pending', ?, ?)`);
  db.transaction(() => {
    const now = Date.now() - PRELOADED * 1000;
    for (let i = 0; i < PRELOADED; i++) {
      insert.run(
        `inv_pre${i}`,
        `0xPRE${i.toString(16).padStart(37, '0')}`,
        i,
        `pre-${i}`,
        new Date(now + i * 1000).toISOString(),
        new Date(now + i * 1000 + 3600_000).toISOString(),
      );
    }
    db.prepare('UPDATE wallet SET next_index = ?').run(PRELOADED);
  })();
  db.close();
}

async function main() {
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model}, node ${process.version}`);
  await till(['wallet', 'import', '--keystore', 'file'], MNEMONIC);
  const apiKey = await till(['apikey', 'create', '--name', 'bench']);
  const config = join(dataDir, 'bench.yaml');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(
    config,
    'chains:\n  - {chainId: 31337, name: Anvil, rpcUrls: ["http://127.0.0.1:8545"], confirmations: 2, pollIntervalMs: 1000}\n',
  );
  const serve = spawn(process.execPath, [BIN, 'serve', '--config', config, '--port', '0', '--keystore', 'file'], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    serve.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /Open the UI: (http:\/\/[^/]+)\//.exec(out);
      if (match) resolve(match[1]!);
    });
    serve.on('exit', () => reject(new Error('till serve exited early')));
  });
  // Preloading while serve runs would race its pool; stop → preload → start again.
  serve.kill('SIGTERM');
  await once(serve, 'exit');
  preload();
  const serve2 = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--keystore', 'file'], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const base = await new Promise<string>((resolve) => {
    let out = '';
    serve2.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /Open the UI: (http:\/\/[^/]+)\//.exec(out);
      if (match) resolve(match[1]!);
    });
  });
  void url;
  setGlobalDispatcher(new Agent({ connections: 64, pipelining: 1 }));
  // Let the address pool warm up as it would on an idle till.
  await new Promise((resolve) => setTimeout(resolve, 3000));

  const body = JSON.stringify({ chainId: 31337, token: 'native', amount: '0.05', orderId: 'bench' });
  const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
  const rates: number[] = [];
  const p50s: number[] = [];
  const p99s: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const latencies: number[] = [];
    const stopAt = performance.now() + DURATION_MS;
    const start = performance.now();
    let errors = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < stopAt) {
          const t0 = performance.now();
          const response = await fetch(`${base}/api/v1/invoices`, { method: 'POST', headers, body });
          await response.arrayBuffer();
          if (response.status !== 201) errors++;
          latencies.push(performance.now() - t0);
        }
      }),
    );
    const seconds = (performance.now() - start) / 1000;
    latencies.sort((a, b) => a - b);
    rates.push(latencies.length / seconds);
    p50s.push(percentile(latencies, 50));
    p99s.push(percentile(latencies, 99));
    console.log(
      `round ${round + 1}: ${latencies.length} invoices in ${seconds.toFixed(1)} s = ${(latencies.length / seconds).toFixed(0)}/s, p50 ${percentile(latencies, 50).toFixed(2)} ms, p99 ${percentile(latencies, 99).toFixed(2)} ms, errors ${errors}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
  // Open loop: requests leave on a fixed schedule of TARGET_RATE/s whatever the answers do, so
  // the latency includes any queueing a merchant's shop would see at that sustained rate.
  const targetRate = Number(process.env.BENCH_TARGET_RATE ?? 1000);
  const openLatencies: number[] = [];
  let openErrors = 0;
  const total = Math.round((targetRate * DURATION_MS) / 1000);
  const openStart = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = openStart + (i * 1000) / targetRate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    inflight.push(
      (async () => {
        const response = await fetch(`${base}/api/v1/invoices`, { method: 'POST', headers, body });
        await response.arrayBuffer();
        if (response.status !== 201) openErrors++;
        // Measured from when the request was due, not when it left: a late client counts as latency.
        openLatencies.push(performance.now() - due);
      })(),
    );
  }
  await Promise.all(inflight);
  const openSeconds = (performance.now() - openStart) / 1000;
  openLatencies.sort((a, b) => a - b);
  serve2.kill('SIGTERM');
  await once(serve2, 'exit');
  const raw = rawSqliteInsertRate();
  const rate = median(rates);
  console.log('');
  console.log(
    `store preloaded with ${PRELOADED} invoices; ${CONCURRENCY} concurrent keep-alive clients; ${ROUNDS} rounds of ${DURATION_MS / 1000} s`,
  );
  console.log(
    `API invoice creation: ${rate.toFixed(0)}/s (median of rounds), p50 ${median(p50s).toFixed(2)} ms, p99 ${median(p99s).toFixed(2)} ms`,
  );
  console.log(
    `sustained ${targetRate}/s offered (open loop, ${total} invoices): achieved ${(total / openSeconds).toFixed(0)}/s, p50 ${percentile(openLatencies, 50).toFixed(2)} ms, p99 ${percentile(openLatencies, 99).toFixed(2)} ms, errors ${openErrors}`,
  );
  console.log(`baseline raw SQLite insert (one row per transaction, WAL): ${raw.toFixed(0)}/s`);
  console.log(`ratio API / raw SQLite: ${(rate / raw).toFixed(3)}`);
  rmSync(dataDir, { recursive: true, force: true });
}

await main();
