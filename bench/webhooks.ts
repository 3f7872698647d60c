// npm run bench:webhooks — webhook delivery on loopback. Prints figures; asserts nothing (see
// docs/BENCHMARKS.md):
// 1. burst: BENCH_EVENTS outbox events (invoices × 4 events: created, payment_received, detected,
//    confirmed) written straight into the store in one transaction, the way the scanner writes
//    them, fanned out to 3 endpoints by a real engine's webhook dispatcher (SQLite delivery log,
//    HMAC signing, requests on undici's request API from a worker thread, 4 in flight per
//    endpoint). Deliveries per second and latency from the events' commit to the receiver's 204,
//    next to two bare clients posting the same bodies to the same receivers, 4 per endpoint, from
//    one loop in this thread with no signing and no log:
//    - the bare fetch client: Node's global fetch with its keep-alive — the HTTP client a shop
//      developer reaches for, and the baseline the issue's target (≥ 0.7 ×) is measured against;
//    - the bare undici client: undici.request, the transport Till itself uses — so the figure
//      shows what the delivery log, signing and the worker cost on top of the same requests.
//    Rounds rotate which of the three goes first; the ratios are medians of per-round ratios.
// 2. trickle: one invoice.created event at a time, 50 a second: latency when nothing queues, next
//    to each bare client posting when the event is written.
// The receivers run in a child process, so no sender pays for them.
// Knobs: BENCH_EVENTS (10,000), BENCH_ROUNDS (3), BENCH_TRICKLE (300), BENCH_WARMUP (1,000 invoices),
// BENCH_CPU_PROF=dir, BENCH_SENDER=inline (the requests from the engine's thread, as before the
// sender's worker thread).
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, platform, release, totalmem } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { Agent, request } from 'undici';
import type { Invoice } from '../src/shared/domain.ts';
import { createEngine, type Engine } from '../src/main/engine/engine.ts';
import { newId } from '../src/main/engine/lib/ids.ts';
import { webhookBody } from '../src/main/engine/webhooks/webhook-payload.ts';
import { TILL_VERSION } from '../src/main/engine/lib/version.ts';
import { tempDataDir, TEST_MNEMONIC, TEST_PASSPHRASE } from '../test/fixtures/engine.ts';
import { profiled } from './support/profile.ts';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const TRICKLE = Number(process.env.BENCH_TRICKLE ?? 300);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 1_000); // invoices
const TRICKLE_INTERVAL_MS = 20;
const ENDPOINTS = 3;
const PER_ENDPOINT = 4; // Till's default maxConcurrency
const TYPES = ['invoice.created', 'invoice.payment_received', 'invoice.detected', 'invoice.confirmed'] as const;

const wallNow = () => performance.timeOrigin + performance.now();
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

// --- the receivers' process --------------------------------------------------------------------
type Ack = [receiver: number, eventId: string, at: number];
const receivers: ChildProcess = fork(fileURLToPath(new URL('./support/webhook-receivers.ts', import.meta.url)), {
  env: { ...process.env, BENCH_RECEIVERS: String(ENDPOINTS) },
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
function ask<T>(cmd: 'count' | 'dump'): Promise<T> {
  const answer = once(receivers, 'message') as Promise<[T]>;
  receivers.send({ cmd });
  return answer.then(([message]) => message);
}
async function acksWhen(count: number, timeoutMs = 600_000): Promise<Ack[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { count: now } = await ask<{ count: number }>('count');
    if (now >= count) break;
    if (Date.now() > deadline) throw new Error(`receivers got ${now} of ${count} requests`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const dump = await ask<{ acks: Ack[]; cpu: NodeJS.CpuUsage }>('dump');
  receiversCpuUs = dump.cpu.user + dump.cpu.system;
  return dump.acks;
}
/** The receivers' process's CPU time (µs) as of the last dump. */
let receiversCpuUs = 0;

/** What the whole machine did meanwhile: the share of all cores' time that was busy. */
function machineTimes() {
  let busy = 0;
  let total = 0;
  for (const { times } of cpus()) {
    const all = times.user + times.nice + times.sys + times.irq + times.idle;
    total += all;
    busy += all - times.idle;
  }
  return { busy, total };
}
const busyShare = (from: { busy: number; total: number }) => {
  const to = machineTimes();
  return (to.busy - from.busy) / (to.total - from.total);
};

/**
 * CPU time (µs) of this process's threads by name, from /proc (Linux only; empty elsewhere): the
 * engine's thread (MainThread), the webhook sender's worker (till-webhooks), V8's helpers (the
 * garbage collector's and compiler's V8Worker threads).
 */
function threadTimes(): Map<string, number> {
  const times = new Map<string, number>();
  if (platform() !== 'linux') return times;
  const tickUs = 1e6 / 100; // USER_HZ
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const name = readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim();
      // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
      const fields = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      const us = (Number(fields[11]) + Number(fields[12])) * tickUs;
      times.set(name, (times.get(name) ?? 0) + us);
    } catch {
      // The thread ended meanwhile.
    }
  }
  return times;
}
const threadsSince = (from: Map<string, number>) => {
  const delta = new Map<string, number>();
  for (const [name, us] of threadTimes()) {
    const d = us - (from.get(name) ?? 0);
    if (d > 0) delta.set(name, d);
  }
  return delta;
};

// --- events straight into the store ------------------------------------------------------------
let invoiceCounter = 0;
/** The four states a paid invoice's events carry, from one real invoice made by invoices.create. */
function templates(real: Invoice): Invoice[] {
  const payment = {
    txHash: `0x${'ab'.repeat(32)}`,
    logIndex: null,
    from: '0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc',
    amount: real.amount,
    blockNumber: 1_234_567,
    blockHash: `0x${'cd'.repeat(32)}`,
    confirmations: 1,
    status: 'pending' as const,
    detectedAt: real.createdAt,
  };
  const paid = { ...real, amountReceived: real.amount, detectedAt: real.createdAt, payments: [payment] };
  return [
    real,
    { ...paid, status: 'detected' },
    { ...paid, status: 'detected' },
    {
      ...paid,
      status: 'confirmed',
      confirmedAt: real.createdAt,
      payments: [{ ...payment, confirmations: 2, status: 'confirmed' }],
    },
  ];
}

/**
 * `invoices` invoices (rows enough for the events' foreign key) and `types.length` events each,
 * in one transaction; returns the events' ids in write order and the commit time.
 */
function writeEvents(engine: Engine, states: Invoice[], invoices: number, types: readonly string[]) {
  const { store } = engine;
  const insertInvoice = store.db.prepare(`
    INSERT INTO invoices (id, chain_id, token_address, token_symbol, token_decimals, amount, amount_received, address,
                          derivation_index, payment_uri, order_id, metadata, status, created_at, expires_at, monitor_until)
    VALUES (?, 31337, NULL, 'ETH', 18, '50000000000000000', '0', ?, ?, 'ethereum:x', ?, NULL, 'pending', ?, ?, ?)`);
  const ids: string[] = [];
  const now = new Date().toISOString();
  // Far from expiring: the expiry loop must not add events of its own.
  const expires = new Date(Date.now() + 7 * 24 * 3_600_000).toISOString();
  store.write(() => {
    for (let i = 0; i < invoices; i++) {
      const n = ++invoiceCounter;
      const id = `inv_BENCH${String(n).padStart(11, '0')}`;
      const address = `0x${n.toString(16).padStart(40, '0')}`;
      insertInvoice.run(id, address, 1_000_000 + n, `order-${n}`, now, expires, expires);
      types.forEach((type, k) => {
        const invoice = { ...states[k]!, id, address, derivationIndex: 1_000_000 + n, orderId: `order-${n}` };
        ids.push(
          store.events.appendForInvoice({ id: newId('evt'), invoiceId: id, type, payload: { invoice }, createdAt: now }).id,
        );
      });
    }
  });
  const writtenAt = wallNow();
  engine.wakeWebhooks(); // what the scanner's outbox write does
  return { ids, writtenAt };
}

// --- the bare client -----------------------------------------------------------------------------
function bareHeaders(eventId: string, type: string): Record<string, string> {
  // The same header names and sizes Till sends; no signing, no delivery log.
  return {
    'Content-Type': 'application/json',
    'User-Agent': `Till/${TILL_VERSION}`,
    'Till-Event-Id': eventId,
    'Till-Event-Type': type,
    'Till-Delivery-Id': `whd_${'0'.repeat(20)}`,
    'Till-Signature': `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}`,
  };
}
type Client = 'fetch' | 'undici';
const CLIENT_LABEL: Record<Client, string> = { fetch: 'bare fetch client', undici: 'bare undici client' };
const undiciAgent = new Agent({ keepAliveTimeout: 60_000 });
async function post(client: Client, url: string, body: string, headers: Record<string, string>): Promise<void> {
  let status: number;
  if (client === 'fetch') {
    const response = await fetch(url, { method: 'POST', body, headers });
    await response.arrayBuffer();
    status = response.status;
  } else {
    const response = await request(url, { method: 'POST', body, headers, dispatcher: undiciAgent });
    await response.body.dump();
    status = response.statusCode;
  }
  if (status !== 204) throw new Error(`${CLIENT_LABEL[client]} got HTTP ${status}`);
}

interface Figures {
  rate: number;
  /** This process's CPU time (user + system) per delivery, µs: steadier than the rate on a busy machine. */
  cpuUs: number;
  p50: number;
  p95: number;
  p99: number;
  /** The receivers' CPU time per delivery, µs. */
  receiversCpuUs: number;
  /** Share of the machine's cores busy during the round (all processes). */
  machineBusy: number;
  /** This process's CPU per delivery (µs) by thread name. */
  threads: Map<string, number>;
}
interface Usage {
  cpu: NodeJS.CpuUsage;
  receiversUs: number;
  machineBusy: number;
  threads: Map<string, number>;
}
/** Starts counting a round's CPU; `end()` after its last acknowledgement was dumped. */
function usage(): { end(): Usage } {
  const cpu = process.cpuUsage();
  const receivers = receiversCpuUs;
  const machine = machineTimes();
  const threads = threadTimes();
  return {
    end: () => ({
      cpu: process.cpuUsage(cpu),
      receiversUs: receiversCpuUs - receivers,
      machineBusy: busyShare(machine),
      threads: threadsSince(threads),
    }),
  };
}
function figures(acks: Ack[], from: (ack: Ack) => number, expected: number, used: Usage): Figures {
  const { cpu } = used;
  if (acks.length !== expected) throw new Error(`expected ${expected} acknowledgements, got ${acks.length}`);
  const latencies = acks.map((ack) => ack[2] - from(ack)).sort((a, b) => a - b);
  const first = Math.min(...acks.map(from));
  const last = Math.max(...acks.map((ack) => ack[2]));
  return {
    rate: acks.length / ((last - first) / 1000),
    cpuUs: (cpu.user + cpu.system) / acks.length,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    receiversCpuUs: used.receiversUs / acks.length,
    machineBusy: used.machineBusy,
    threads: new Map([...used.threads].map(([name, us]) => [name, us / acks.length])),
  };
}
const threadLine = (f: Figures) =>
  [...f.threads]
    .filter(([, us]) => us >= 5)
    .sort((a, b) => b[1] - a[1])
    .map(([name, us]) => `${name} ${fmt(us)}`)
    .join(', ');
const line = (label: string, f: Figures) =>
  `${label}: ${fmt(f.rate)} deliveries/s, latency p50 ${fmt(f.p50, 1)} ms, p95 ${fmt(f.p95, 1)} ms, p99 ${fmt(f.p99, 1)} ms, CPU ${fmt(f.cpuUs)} µs per delivery (receivers ${fmt(f.receiversCpuUs)} µs; machine ${fmt(100 * f.machineBusy)} % busy; by thread: ${threadLine(f)})`;

async function main() {
  console.log(
    `machine: ${cpus().length} × ${cpus()[0]?.model}, ${fmt(totalmem() / 2 ** 30, 0)} GiB, ${platform()} ${release()}, node ${process.version}`,
  );
  const [{ urls }] = (await once(receivers, 'message')) as [{ urls: string[] }];
  const data = tempDataDir('till-bench-webhooks-');
  const engine = await createEngine({
    dataDir: data.dir,
    host: 'browser',
    keystore: 'file',
    passphrase: async () => TEST_PASSPHRASE,
    logger: pino({ level: process.env.TILL_BENCH_LOG ?? 'silent' }),
    webhooks: { inlineSender: process.env.BENCH_SENDER === 'inline' },
  });
  await engine.invoke('wallet.import', { mnemonic: TEST_MNEMONIC });
  // A new wallet derives its address pool (5,000 ahead) on a worker thread for a while — a core's
  // worth of work once per wallet, not per webhook. Wait for it, or it competes with whichever
  // sender happens to run meanwhile.
  const poolStart = performance.now();
  while (engine.store.addressPool.highestIndex() < 4_999) await new Promise((resolve) => setTimeout(resolve, 200));
  console.log(`address pool filled in ${fmt((performance.now() - poolStart) / 1000, 1)} s (not measured)`);
  await engine.invoke('chains.save', {
    chainId: 31337,
    name: 'Anvil',
    rpcUrls: ['http://127.0.0.1:1'],
    confirmations: 2,
    pollIntervalMs: 60_000,
    tokens: [],
  });
  // No chain is scanned here: only the webhook loop works.
  await engine.invoke('chains.pause', { chainId: 31337 });
  const real = await engine.invoke('invoices.create', { chainId: 31337, token: 'native', amount: '0.05', orderId: 'bench' });
  const states = templates(real);
  for (const url of urls) await engine.invoke('webhooks.create', { url });
  // Count the store work the dispatcher does per delivery (write transactions, queue queries).
  const work = { writes: 0, due: 0 };
  const { write } = engine.store;
  const { due } = engine.store.webhookDeliveries;
  engine.store.write = (fn) => (work.writes++, write(fn));
  engine.store.webhookDeliveries.due = (...args) => (work.due++, due(...args));
  // The endpoints came after the template invoice, so its event is not sent.
  const invoices = Math.ceil(EVENTS / TYPES.length);
  console.log(
    `events: ${fmt(invoices)} invoices × ${TYPES.length} = ${fmt(invoices * TYPES.length)} per round, written straight into the store (invoice rows + outbox events, one transaction), to ${ENDPOINTS} endpoints = ${fmt(invoices * TYPES.length * ENDPOINTS)} deliveries; ${PER_ENDPOINT} in flight per endpoint`,
  );

  const till: Figures[] = [];
  /** The engine's thread: how late its timers and I/O callbacks ran during Till's rounds (what the merchant API and UI feel). */
  const tillLoopDelays: number[] = [];
  const bare: Record<Client, Figures[]> = { fetch: [], undici: [] };
  const ratios: Record<Client, number[]> = { fetch: [], undici: [] };
  /** One Till burst; returns the bodies it delivered, for the bare client. */
  async function tillRound(round: number) {
    const before = { ...work };
    const writeStart = performance.now();
    const burst = await profiled(`webhooks-round-${round}`, async () => {
      const written = writeEvents(engine, states, invoices, TYPES);
      const writeMs = performance.now() - writeStart;
      // From the commit on: writing the events is the scanner's work, not the webhooks'.
      const counting = usage();
      const loopDelay = monitorEventLoopDelay({ resolution: 5 });
      loopDelay.enable();
      const acks = await acksWhen(written.ids.length * ENDPOINTS);
      loopDelay.disable();
      return { ...written, writeMs, acks, used: counting.end(), loopDelayP99: loopDelay.percentile(99) / 1e6 };
    });
    const notOk = engine.store.db.prepare("SELECT COUNT(*) AS n FROM webhook_deliveries WHERE status != 'succeeded'").get() as {
      n: number;
    };
    const t = figures(burst.acks, () => burst.writtenAt, burst.ids.length * ENDPOINTS, burst.used);
    const n = burst.acks.length;
    tillLoopDelays.push(burst.loopDelayP99);
    console.log(
      `round ${round} ${line('Till', t)} (engine thread's event-loop delay p99 ${fmt(burst.loopDelayP99, 1)} ms; events written in ${fmt(burst.writeMs)} ms; deliveries not succeeded: ${notOk.n}; per delivery ${((work.writes - before.writes) / n).toFixed(2)} write transactions, ${((work.due - before.due) / n).toFixed(2)} queue queries)`,
    );
    const bodies = burst.ids.map((id) => {
      const event = engine.store.events.get(id)!;
      return { id, type: event.type, body: webhookBody(event) };
    });
    return { figures: t, bodies };
  }
  /** The same bodies, the same receivers, the same concurrency, from a bare client. */
  const postAll = (client: Client, bodies: { id: string; type: string; body: string }[]) =>
    Promise.all(
      urls.flatMap((url) => {
        let next = 0;
        return Array.from({ length: PER_ENDPOINT }, async () => {
          for (let i = next++; i < bodies.length; i = next++) {
            const { id, type, body } = bodies[i]!;
            await post(client, url, body, bareHeaders(id, type));
          }
        });
      }),
    );
  async function bareRound(round: number, client: Client, bodies: { id: string; type: string; body: string }[]) {
    const start = wallNow();
    const counting = usage();
    const { acks, used } = await profiled(`bare-${client}-round-${round}`, async () => {
      await postAll(client, bodies);
      const acks = await acksWhen(bodies.length * ENDPOINTS);
      return { acks, used: counting.end() };
    });
    const b = figures(acks, () => start, bodies.length * ENDPOINTS, used);
    console.log(`round ${round} ${line(CLIENT_LABEL[client], b)}`);
    return b;
  }
  // A warm-up for both (not counted): the first few thousand requests run partly unoptimised
  // code and grow the heap, which the first round would otherwise pay for alone.
  {
    const warm = writeEvents(engine, states, WARMUP, TYPES);
    await acksWhen(warm.ids.length * ENDPOINTS);
    const bodies = warm.ids.map((id) => {
      const event = engine.store.events.get(id)!;
      return { id, type: event.type, body: webhookBody(event) };
    });
    for (const client of ['fetch', 'undici'] as const) {
      await postAll(client, bodies);
      await acksWhen(bodies.length * ENDPOINTS);
    }
  }
  // Rounds rotate which of the three goes first (round 1: Till, then the bare clients posting
  // that round's bodies; later rounds post the previous Till round's — the same sizes and
  // shapes), so none always meets another's leftovers (a fuller WAL, garbage to collect). Ratios
  // are taken per round, of runs back to back.
  let lastBodies: { id: string; type: string; body: string }[] = [];
  const order = ['till', 'fetch', 'undici'] as const;
  for (let round = 1; round <= ROUNDS; round++) {
    let t: Figures | undefined;
    const b: Partial<Record<Client, Figures>> = {};
    for (let k = 0; k < order.length; k++) {
      const who = order[(round - 1 + k) % order.length]!;
      if (who === 'till') {
        const result = await tillRound(round);
        t = result.figures;
        lastBodies = result.bodies;
      } else b[who] = await bareRound(round, who, lastBodies);
    }
    till.push(t!);
    for (const client of ['fetch', 'undici'] as const) {
      bare[client].push(b[client]!);
      ratios[client].push(t!.rate / b[client]!.rate);
    }
    console.log(
      `round ${round} ratio Till / bare fetch client: ${ratios.fetch.at(-1)!.toFixed(2)}; Till / bare undici client: ${ratios.undici.at(-1)!.toFixed(2)}`,
    );
  }

  // Trickle: one event at a time, so latency is the dispatcher's reaction plus one request.
  const trickle: Record<'Till' | Client, number[]> = { Till: [], fetch: [], undici: [] };
  for (const who of ['Till', 'fetch', 'undici'] as const) {
    const writtenAt = new Map<string, number>();
    const start = performance.now();
    const sends: Promise<void>[] = [];
    for (let k = 0; k < TRICKLE; k++) {
      const wait = start + k * TRICKLE_INTERVAL_MS - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      if (who === 'Till') {
        const written = writeEvents(engine, states, 1, TYPES.slice(0, 1));
        writtenAt.set(written.ids[0]!, written.writtenAt);
      } else {
        const id = newId('evt');
        const at = wallNow();
        writtenAt.set(id, at);
        const body = webhookBody({
          id,
          invoiceId: null,
          type: TYPES[0],
          sequence: 1,
          payload: { invoice: states[0] },
          createdAt: real.createdAt,
        });
        sends.push(...urls.map((url) => post(who, url, body, bareHeaders(id, TYPES[0]))));
      }
    }
    await Promise.all(sends);
    const acks = await acksWhen(TRICKLE * ENDPOINTS);
    trickle[who].push(...acks.map((ack) => ack[2] - writtenAt.get(ack[1])!));
    trickle[who].sort((a, b) => a - b);
  }

  await engine.stop();
  receivers.disconnect();
  data.cleanup();

  const tillRate = median(till.map((f) => f.rate));
  const byThread = (rounds: Figures[]) => {
    const names = new Set(rounds.flatMap((f) => [...f.threads.keys()]));
    return [...names]
      .map((name) => [name, median(rounds.map((f) => f.threads.get(name) ?? 0))] as const)
      .filter(([, us]) => us >= 5)
      .sort((a, b) => b[1] - a[1])
      .map(([name, us]) => `${name} ${fmt(us)}`)
      .join(', ');
  };
  console.log('');
  console.log(`burst, median of ${ROUNDS} rounds:`);
  console.log(
    `  Till:               ${fmt(tillRate)} deliveries/s, latency from commit to 204: p50 ${fmt(median(till.map((f) => f.p50)))} ms, p95 ${fmt(median(till.map((f) => f.p95)))} ms; CPU ${fmt(median(till.map((f) => f.cpuUs)))} µs per delivery (${byThread(till)})`,
  );
  for (const client of ['fetch', 'undici'] as const) {
    const rounds = bare[client];
    console.log(
      `  ${`${CLIENT_LABEL[client]}:`.padEnd(19)} ${fmt(median(rounds.map((f) => f.rate)))} deliveries/s, latency from start to 204: p50 ${fmt(median(rounds.map((f) => f.p50)))} ms, p95 ${fmt(median(rounds.map((f) => f.p95)))} ms; CPU ${fmt(median(rounds.map((f) => f.cpuUs)))} µs per delivery (${byThread(rounds)})`,
    );
  }
  console.log(`  engine thread's event-loop delay during Till's rounds, p99: median ${fmt(median(tillLoopDelays), 1)} ms`);
  console.log(
    `  ratio Till / bare fetch client, median of the per-round ratios: ${median(ratios.fetch).toFixed(2)} (target ≥ 0.70; rounds: ${ratios.fetch.map((r) => r.toFixed(2)).join(', ')})`,
  );
  console.log(
    `  ratio Till / bare undici client (the same transport), median of the per-round ratios: ${median(ratios.undici).toFixed(2)} (rounds: ${ratios.undici.map((r) => r.toFixed(2)).join(', ')})`,
  );
  console.log(`trickle, ${TRICKLE} events at ${1000 / TRICKLE_INTERVAL_MS}/s to ${ENDPOINTS} endpoints:`);
  console.log(
    `  Till:               latency from commit to 204 p50 ${fmt(percentile(trickle.Till, 50), 1)} ms, p95 ${fmt(percentile(trickle.Till, 95), 1)} ms`,
  );
  for (const client of ['fetch', 'undici'] as const)
    console.log(
      `  ${`${CLIENT_LABEL[client]}:`.padEnd(19)} latency from send to 204   p50 ${fmt(percentile(trickle[client], 50), 1)} ms, p95 ${fmt(percentile(trickle[client], 95), 1)} ms`,
    );
  await undiciAgent.close();
}

await main();
