// npm run bench:scan — the chain scanner against a real anvil. Prints figures; asserts nothing
// (see docs/BENCHMARKS.md):
// 1. catch-up: blocks/s of a real engine over 10,000 blocks with ERC-20 and native traffic and
//    10,000 watched deposit addresses, next to a minimal scanner making only the unavoidable RPC
//    calls for the same range and watched set, measured in the same run;
// 2. JSON-RPC calls per 1,000 blocks of catch-up, token-only and with native scanning, per method;
// 3. detection latency: from the block holding a payment being visible at the node to the
//    engine's invoice.changed event, on anvil with 1 s blocks and a 250 ms poll interval.
// 4. a busy chain (issue 11): blocks carrying ~200 unrelated transactions each, the same watched
//    set; JSON-RPC calls and bytes received (a proxy between Till and the node counts the answers)
//    per 1,000 blocks, for Till balance-first, Till reading every block body and the baseline, in
//    catch-up and while tracking the head; and tracking the head balance-first over a ws URL, where
//    a TCP proxy counts every byte the node sends (handshake, frames, newHeads notifications).
// Knobs: BENCH_BLOCKS, BENCH_ADDRESSES, BENCH_ROUNDS, BENCH_SAMPLES, BENCH_PHASES=catchup,rpc,latency,busy,
// BENCH_BUSY_BLOCKS (1,000), BENCH_BUSY_TXS (200), BENCH_LIVE_BLOCKS (100),
// BENCH_HEADER_METHOD=1 (the busy chain's proxy answers eth_getHeaderByNumber as geth and reth do;
// which anvil lacks; without it Till reads headers with anvil's ots_getBlockDetails),
// BENCH_BUSY_HARDFORK (prague; cancun: no EIP-2935 history, BLOCKHASH's 256 blocks only),
// BENCH_CPU_PROF=dir (a CPU profile of each timed Till catch-up round, without the setup).
import { join } from 'node:path';
import { cpus, totalmem, platform, release } from 'node:os';
import BetterSqlite3 from 'better-sqlite3';
import { startAnvil, type Anvil } from '../test/fixtures/anvil.ts';
import { startBenchAnvil } from './support/anvil.ts';
import { anvilAccounts, deployTestToken, mintToken } from '../test/fixtures/chain-actions.ts';
import { startRpcProxy, type RpcProxy } from '../test/fixtures/rpc-proxy.ts';
import { portOf, startTcpProxy, type TcpProxy } from '../test/fixtures/tcp-proxy.ts';
import { waitFor } from '../test/fixtures/ports.ts';
import { baselineScan, type BaselineResult } from './support/baseline.ts';
import { startBenchEngine, type BenchEngine } from './support/engine.ts';
import { hex, rpc } from './support/json-rpc.ts';
import { profiled } from './support/profile.ts';
import { generateBusyTraffic, generateTraffic, shuffled, type Traffic } from './support/traffic.ts';

const BLOCKS = Number(process.env.BENCH_BLOCKS ?? 10_000);
const ADDRESSES = Number(process.env.BENCH_ADDRESSES ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 25);
const EVERY = 10;
const PHASES = new Set((process.env.BENCH_PHASES ?? 'catchup,rpc,latency,busy').split(','));
const BUSY_BLOCKS = Number(process.env.BENCH_BUSY_BLOCKS ?? 1_000);
const BUSY_TXS = Number(process.env.BENCH_BUSY_TXS ?? 200);
const LIVE_BLOCKS = Number(process.env.BENCH_LIVE_BLOCKS ?? 100);
const HEADER_METHOD = process.env.BENCH_HEADER_METHOD === '1';
const BUSY_HARDFORK = process.env.BENCH_BUSY_HARDFORK ?? 'prague';
const CHAIN_ID = 31337;
const WEEK = 7 * 24 * 3600;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
/**
 * Each round runs Till and the baseline back to back, so their ratio within a round sees the same
 * machine load; the median of those per-round ratios is steadier on a shared machine than the
 * ratio of two medians taken separately. Per-round ratios are printed too.
 */
const ratioOfRounds = (till: number[], base: number[]) => {
  const ratios = till.map((rate, i) => rate / base[i]!);
  return `${median(ratios).toFixed(3)} (per round ${ratios.map((r) => r.toFixed(2)).join(', ')})`;
};
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const summary: string[] = [];

function paymentCount(engine: BenchEngine): { total: number; native: number; token: number } {
  const db = new BetterSqlite3(join(engine.engine.dataDir, 'till.db'), { readonly: true });
  try {
    const row = db
      .prepare(
        `SELECT count(*) AS total, sum(token_address IS NULL) AS native, sum(token_address IS NOT NULL) AS token
           FROM payments WHERE chain_id = ? AND status != 'orphaned'`,
      )
      .get(CHAIN_ID) as { total: number; native: number | null; token: number | null };
    return { total: row.total, native: row.native ?? 0, token: row.token ?? 0 };
  } finally {
    db.close();
  }
}

/** Invoices through the engine's own operation; returns their deposit addresses (lower case). */
async function createInvoices(engine: BenchEngine, count: number, token: string, amount: string): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const invoice = await engine.engine.invoke('invoices.create', {
      chainId: CHAIN_ID,
      token,
      amount,
      expiresInSeconds: WEEK,
      orderId: `bench-${token}-${i}`,
    });
    out.push(invoice.address.toLowerCase());
  }
  return out;
}

/** Rescan (or resume) and time until the stored cursor reaches `last`. */
async function timedCatchUp(engine: BenchEngine, first: number, last: number, how: 'resume' | 'rescan'): Promise<number> {
  const start = performance.now();
  if (how === 'resume') await engine.engine.invoke('chains.resume', { chainId: CHAIN_ID });
  else await engine.engine.invoke('chains.rescan', { chainId: CHAIN_ID, fromBlock: first });
  const end = await engine.untilCursor(last);
  return end - start;
}

function printCounts(label: string, counts: Record<string, number>, blocks: number): Record<string, number> {
  const per = Object.fromEntries(
    Object.entries(counts)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([method, n]) => [method, (n * 1000) / blocks]),
  );
  const total = Object.values(per).reduce((a, b) => a + b, 0);
  console.log(
    `${label}: ${fmt(total, 1)} calls / 1,000 blocks — ${Object.entries(per)
      .map(([m, n]) => `${m} ${fmt(n, 1)}`)
      .join(', ')}`,
  );
  return per;
}

async function catchUpAndRpc(): Promise<void> {
  const anvil = await startBenchAnvil({ chainId: CHAIN_ID, args: ['--hardfork', 'cancun', '--prune-history'] });
  try {
    const [from] = await anvilAccounts(anvil);
    const token = await deployTestToken(anvil);
    await mintToken(anvil, token, from!, 10n ** 30n);
    const firstBlock = Number(BigInt(await anvil.rpc<string>('eth_blockNumber'))) + 1;
    const tokens = [{ symbol: 'TUSD', address: token, decimals: 6 }];

    // --- setup: the engine paused at the first block, the watched set, then the history ---
    const main = await startBenchEngine(
      { chainId: CHAIN_ID, rpcUrls: [anvil.rpcUrl], startBlock: firstBlock, pollIntervalMs: 100, confirmations: 2, tokens },
      { paused: true },
    );
    let t0 = performance.now();
    // Token invoices first: a token-only engine with the same wallet then gets the same addresses.
    const tokenAddresses = await createInvoices(main, ADDRESSES / 2, 'TUSD', '1000');
    const nativeAddresses = await createInvoices(main, ADDRESSES / 2, 'native', '1');
    const watched = [...tokenAddresses, ...nativeAddresses];
    console.log(`setup: ${fmt(ADDRESSES)} invoices created through invoices.create in ${seconds(performance.now() - t0)}`);

    t0 = performance.now();
    const groups = Math.ceil(BLOCKS / EVERY);
    // Partial payments: the invoices stay pending, so every round watches the same 10,000 addresses.
    const traffic: Traffic = await generateTraffic({
      url: anvil.rpcUrl,
      from: from!,
      token,
      tokenTargets: shuffled(tokenAddresses, 1).slice(0, groups),
      nativeTargets: shuffled(nativeAddresses, 2).slice(0, groups),
      blocks: BLOCKS,
      every: EVERY,
      tokenAmount: 1_000_000n,
      nativeAmount: 10n ** 15n,
    });
    if (traffic.firstBlock !== firstBlock) throw new Error(`history starts at ${traffic.firstBlock}, not ${firstBlock}`);
    const { lastBlock } = traffic;
    const sent = traffic.tokenTransfers + traffic.nativeTransfers;
    console.log(
      `setup: blocks ${firstBlock}–${lastBlock} (${fmt(BLOCKS)}) generated in ${seconds(performance.now() - t0)}: ${traffic.tokenTransfers} ERC-20 + ${traffic.nativeTransfers} native transfers to deposit addresses`,
    );

    // --- 1. catch-up, Till and baseline interleaved ---
    const tillRates: number[] = [];
    const baseRates: number[] = [];
    let found = { total: 0, native: 0, token: 0 };
    let baseline: BaselineResult | undefined;
    if (PHASES.has('catchup') || PHASES.has('rpc')) {
      const rounds = PHASES.has('catchup') ? ROUNDS : 1;
      for (let round = 0; round < rounds; round++) {
        const ms = await profiled(`catch-up-till-${round + 1}`, () =>
          timedCatchUp(main, firstBlock, lastBlock, round === 0 ? 'resume' : 'rescan'),
        );
        found = paymentCount(main);
        tillRates.push((BLOCKS * 1000) / ms);
        const b0 = performance.now();
        baseline = await baselineScan({ url: anvil.rpcUrl, from: firstBlock, to: lastBlock, watched, native: true });
        const bms = performance.now() - b0;
        baseRates.push((BLOCKS * 1000) / bms);
        console.log(
          `catch-up round ${round + 1} (${round === 0 ? 'resume' : 'rescan'}): Till ${seconds(ms)} = ${fmt(tillRates.at(-1)!)} blocks/s, payments ${found.total}/${sent} (${found.token} ERC-20, ${found.native} native); baseline ${seconds(bms)} = ${fmt(baseRates.at(-1)!)} blocks/s, matches ${baseline.tokenMatches + baseline.nativeMatches}/${sent}`,
        );
      }
      const till = median(tillRates);
      const base = median(baseRates);
      summary.push(
        `catch-up, ${fmt(BLOCKS)} blocks, ${fmt(ADDRESSES)} watched (half native), ${sent} transfers, median of ${tillRates.length}:`,
        `  Till ${fmt(till)} blocks/s, baseline ${fmt(base)} blocks/s, ratio ${ratioOfRounds(tillRates, baseRates)} (target ≥ 0.8)`,
        `  payments found ${found.total}/${sent}${found.total === sent ? '' : '  <-- MISMATCH'}; baseline matches ${(baseline?.tokenMatches ?? 0) + (baseline?.nativeMatches ?? 0)}/${sent}`,
      );
    }

    // --- 2. RPC calls per 1,000 blocks (counting proxy; batch items count one each) ---
    if (PHASES.has('rpc')) {
      const proxy = await startRpcProxy(anvil.rpcUrl);
      try {
        await main.setRpcUrls([proxy.url]);
        proxy.reset();
        const ms = await timedCatchUp(main, firstBlock, lastBlock, 'rescan');
        const nativeCounts = proxy.counts();
        await main.close();
        console.log(`rpc count, native + ERC-20 watched: catch-up through the proxy ${seconds(ms)}`);
        const nativePer = printCounts('  Till, native + ERC-20 watched', nativeCounts, BLOCKS);
        const basePer = printCounts('  baseline, native + ERC-20', baseline?.calls ?? {}, BLOCKS);

        // Token-only: a second wallet-identical engine watching only the 5,000 token addresses.
        const tokenOnly = await startBenchEngine(
          { chainId: CHAIN_ID, rpcUrls: [proxy.url], startBlock: firstBlock, pollIntervalMs: 100, confirmations: 2, tokens },
          { paused: true },
        );
        try {
          const again = await createInvoices(tokenOnly, ADDRESSES / 2, 'TUSD', '1000');
          const same = again.every((address, i) => address === tokenAddresses[i]);
          proxy.reset();
          const tms = await timedCatchUp(tokenOnly, firstBlock, lastBlock, 'resume');
          const tokenCounts = proxy.counts();
          const tokenFound = paymentCount(tokenOnly);
          console.log(
            `rpc count, ERC-20 only (${fmt(ADDRESSES / 2)} watched${same ? ', same addresses' : ', DIFFERENT addresses'}): catch-up through the proxy ${seconds(tms)}, payments ${tokenFound.total}/${traffic.tokenTransfers}`,
          );
          const tokenPer = printCounts('  Till, ERC-20 only', tokenCounts, BLOCKS);
          const tokenBase = await baselineScan({
            url: anvil.rpcUrl,
            from: firstBlock,
            to: lastBlock,
            watched: tokenAddresses,
            native: false,
          });
          const tokenBasePer = printCounts('  baseline, ERC-20 only', tokenBase.calls, BLOCKS);

          // Token-only catch-up speed, straight to anvil, next to the token-only baseline.
          await tokenOnly.setRpcUrls([anvil.rpcUrl]);
          const tokenTill: number[] = [];
          const tokenBaseRates: number[] = [];
          for (let round = 0; round < ROUNDS; round++) {
            tokenTill.push((BLOCKS * 1000) / (await timedCatchUp(tokenOnly, firstBlock, lastBlock, 'rescan')));
            const b0 = performance.now();
            await baselineScan({ url: anvil.rpcUrl, from: firstBlock, to: lastBlock, watched: tokenAddresses, native: false });
            tokenBaseRates.push((BLOCKS * 1000) / (performance.now() - b0));
          }
          console.log(
            `catch-up ERC-20 only: Till ${tokenTill.map((r) => fmt(r)).join(', ')} blocks/s; baseline ${tokenBaseRates.map((r) => fmt(r)).join(', ')} blocks/s`,
          );
          const line = (per: Record<string, number>) => {
            const total = Object.values(per).reduce((a, b) => a + b, 0);
            return `${fmt(total, 1)} (${Object.entries(per)
              .map(([m, n]) => `${m} ${fmt(n, 1)}`)
              .join(', ')})`;
          };
          summary.push(
            `JSON-RPC calls per 1,000 blocks of catch-up (batch items counted one each):`,
            `  ERC-20 only (${fmt(ADDRESSES / 2)} watched): Till ${line(tokenPer)}`,
            `                               baseline ${line(tokenBasePer)}`,
            `  native + ERC-20 (${fmt(ADDRESSES)} watched): Till ${line(nativePer)}`,
            `                               baseline ${line(basePer)}`,
            `catch-up ERC-20 only, median of ${ROUNDS}: Till ${fmt(median(tokenTill))} blocks/s, baseline ${fmt(median(tokenBaseRates))} blocks/s, ratio ${ratioOfRounds(tokenTill, tokenBaseRates)}`,
          );
        } finally {
          await tokenOnly.close();
        }
      } finally {
        await proxy.close();
      }
    } else {
      await main.close();
    }
  } finally {
    await anvil.stop();
  }
}

async function latency(): Promise<void> {
  const anvil: Anvil = await startAnvil({ chainId: CHAIN_ID, blockTime: 1 });
  try {
    const [from] = await anvilAccounts(anvil);
    const head = Number(BigInt(await anvil.rpc<string>('eth_blockNumber')));
    const bench = await startBenchEngine({
      chainId: CHAIN_ID,
      rpcUrls: [anvil.rpcUrl],
      startBlock: head + 1,
      pollIntervalMs: 250,
      confirmations: 2,
      tokens: [],
    });
    try {
      const seen = new Map<string, number>();
      bench.engine.subscribe('invoice.changed', ({ invoice }) => {
        if (invoice.status !== 'pending' && invoice.status !== 'expired' && !seen.has(invoice.id))
          seen.set(invoice.id, performance.now());
      });
      // Live first: the scanner has passed the start block and sleeps between polls.
      await bench.untilCursor(head + 1, 30_000);
      const latencies: number[] = [];
      for (let i = 0; i < SAMPLES; i++) {
        const invoice = await bench.engine.invoke('invoices.create', { chainId: CHAIN_ID, token: 'native', amount: '0.01' });
        // A random moment within the block interval, so the samples do not share one phase.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 1000));
        const hash = await rpc<string>(anvil.rpcUrl, 'eth_sendTransaction', [
          { from, to: invoice.address, value: hex(10n ** 16n), gas: hex(21_000) },
        ]);
        let included: number | undefined;
        const deadline = performance.now() + 15_000;
        while (included === undefined && performance.now() < deadline) {
          if (await rpc<unknown>(anvil.rpcUrl, 'eth_getTransactionReceipt', [hash])) included = performance.now();
          else await new Promise((resolve) => setTimeout(resolve, 5));
        }
        while (!seen.has(invoice.id) && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
        const detected = seen.get(invoice.id);
        if (included === undefined || detected === undefined) {
          console.log(
            `latency sample ${i + 1}: timed out (included ${included !== undefined}, detected ${detected !== undefined})`,
          );
          continue;
        }
        latencies.push(detected - included);
      }
      latencies.sort((a, b) => a - b);
      const p50 = percentile(latencies, 50);
      const p95 = percentile(latencies, 95);
      console.log(`detection latency (${latencies.length} samples, ms): ${latencies.map((l) => l.toFixed(0)).join(' ')}`);
      summary.push(
        `detection latency (1 s blocks, poll 250 ms, confirmations 2, ${latencies.length} samples): p50 ${fmt(p50)} ms, p95 ${fmt(p95)} ms, max ${fmt(latencies.at(-1)!)} ms (target p95 < 400 ms)`,
      );
    } finally {
      await bench.close();
    }
  } finally {
    await anvil.stop();
  }
}

interface Usage {
  calls: number;
  bytes: number;
  ms: number;
}
const usage = (proxy: RpcProxy, ms: number): Usage => ({
  calls: Object.values(proxy.counts()).reduce((a, b) => a + b, 0),
  bytes: Object.values(proxy.bytes()).reduce((a, b) => a + b, 0),
  ms,
});
const perThousand = (u: Usage, blocks: number) =>
  `${fmt((u.calls * 1000) / blocks, 1)} calls, ${fmt((u.bytes * 1000) / blocks / 2 ** 20, 2)} MiB`;
const byMethod = (proxy: RpcProxy, blocks: number) =>
  Object.entries(proxy.bytes())
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([m, b]) => `${m} ${fmt((proxy.counts()[m]! * 1000) / blocks, 1)} / ${fmt((b * 1000) / blocks / 1024, 0)} KiB`)
    .join(', ');

/** What a TCP proxy saw so far: the node → client bytes, and calls and answer bytes by method. */
interface WsTally {
  bytes: number;
  calls: Map<string, number>;
  answerBytes: Map<string, number>;
  /** Of the notifications' bytes, the transaction hash lists anvil puts in them. */
  notifiedLists: number;
}
const wsTally = (tcp: TcpProxy): WsTally => ({
  bytes: tcp.bytesToClient(),
  calls: tcp.methods(),
  answerBytes: tcp.methodBytes(),
  notifiedLists: tcp.notifiedTransactionListBytes(),
});
const wsSince = (tcp: TcpProxy, start: WsTally): WsTally => {
  const now = wsTally(tcp);
  const minus = (a: Map<string, number>, b: Map<string, number>) =>
    new Map([...a].map(([k, v]) => [k, v - (b.get(k) ?? 0)] as const).filter(([, v]) => v > 0));
  return {
    bytes: now.bytes - start.bytes,
    calls: minus(now.calls, start.calls),
    answerBytes: minus(now.answerBytes, start.answerBytes),
    notifiedLists: now.notifiedLists - start.notifiedLists,
  };
};
const wsByMethod = (t: WsTally, blocks: number) => {
  const methods = [...new Set([...t.calls.keys(), ...t.answerBytes.keys()])].sort();
  const framed = t.bytes - [...t.answerBytes.values()].reduce((a, b) => a + b, 0);
  return [
    ...methods.map(
      (m) =>
        `${m} ${fmt(((t.calls.get(m) ?? 0) * 1000) / blocks, 1)} / ${fmt(((t.answerBytes.get(m) ?? 0) * 1000) / blocks / 1024, 0)} KiB`,
    ),
    `handshakes and frame headers ${fmt((framed * 1000) / blocks / 1024, 0)} KiB`,
    `of the notifications, the transaction hash lists anvil adds ${fmt((t.notifiedLists * 1000) / blocks / 1024, 0)} KiB`,
  ].join(', ');
};

/**
 * The busy chain: catch-up over BUSY_BLOCKS blocks, then LIVE_BLOCKS more mined one at a time
 * while the engine tracks the head, each with Till balance-first and Till reading every body,
 * all through one counting proxy; the baseline reads the same ranges through it too. Then
 * LIVE_BLOCKS more balance-first with a ws URL as the engine's only one, through a TCP proxy.
 */
async function busyChain(): Promise<void> {
  // No --prune-history: balance-first needs the recent state a full node keeps. Prague by
  // default, as the chains Till supports run it (the EIP-2935 block hash history that
  // AncestorHashes reads); BENCH_BUSY_HARDFORK=cancun for a chain with BLOCKHASH's 256 only.
  const anvil = await startBenchAnvil({ chainId: CHAIN_ID, args: ['--hardfork', BUSY_HARDFORK] });
  const proxy = await startRpcProxy(anvil.rpcUrl);
  const tcp = await startTcpProxy(portOf(anvil.rpcUrl));
  // Counters start again for each measurement; the node's methods stay what the run says.
  const resetProxy = () => {
    proxy.reset();
    proxy.faults.headerMethod = HEADER_METHOD;
  };
  resetProxy();
  try {
    const accounts = await anvilAccounts(anvil);
    const payer = accounts[0]!;
    const sender = accounts[9]!;
    const token = await deployTestToken(anvil);
    await mintToken(anvil, token, payer, 10n ** 30n);
    const firstBlock = Number(BigInt(await anvil.rpc<string>('eth_blockNumber'))) + 1;
    const engine = await startBenchEngine(
      {
        chainId: CHAIN_ID,
        rpcUrls: [proxy.url],
        startBlock: firstBlock,
        pollIntervalMs: 100,
        confirmations: 2,
        tokens: [{ symbol: 'TUSD', address: token, decimals: 6 }],
        nativeDetection: 'balances',
      },
      { paused: true },
    );
    try {
      const tokenAddresses = await createInvoices(engine, ADDRESSES / 2, 'TUSD', '1000');
      const nativeAddresses = await createInvoices(engine, ADDRESSES / 2, 'native', '1');
      const watched = [...tokenAddresses, ...nativeAddresses];
      const tokenTargets = shuffled(tokenAddresses, 5);
      const nativeTargets = shuffled(nativeAddresses, 6);
      const groups = Math.ceil(BUSY_BLOCKS / EVERY);
      const plan = {
        url: anvil.rpcUrl,
        payer,
        sender,
        token,
        every: EVERY,
        background: BUSY_TXS,
        tokenAmount: 1_000_000n,
        nativeAmount: 10n ** 15n,
      };
      let t0 = performance.now();
      const traffic = await generateBusyTraffic({
        ...plan,
        blocks: BUSY_BLOCKS,
        tokenTargets: tokenTargets.slice(0, groups),
        nativeTargets: nativeTargets.slice(0, groups),
      });
      const sent = traffic.tokenTransfers + traffic.nativeTransfers;
      const body = JSON.stringify(await anvil.rpc('eth_getBlockByNumber', [hex(traffic.lastBlock), true])).length;
      console.log(
        `busy: blocks ${traffic.firstBlock}–${traffic.lastBlock} with ${BUSY_TXS} unrelated transfers each (a body is ${fmt(body / 1024)} KiB) generated in ${seconds(performance.now() - t0)}; ${sent} payments`,
      );

      // --- catch-up ---
      const catchUp: Record<string, Usage> = {};
      for (const [round, mode] of (['balances', 'blocks'] as const).entries()) {
        await engine.setNativeDetection(mode);
        resetProxy();
        const ms = await timedCatchUp(engine, firstBlock, traffic.lastBlock, round === 0 ? 'resume' : 'rescan');
        catchUp[mode] = usage(proxy, ms);
        const found = paymentCount(engine);
        const [health] = await engine.engine.invoke('chains.health', {});
        console.log(
          `busy catch-up, Till ${mode}: ${seconds(ms)} = ${fmt((BUSY_BLOCKS * 1000) / ms)} blocks/s, payments ${found.total}/${sent}; per 1,000 blocks ${perThousand(catchUp[mode]!, BUSY_BLOCKS)} (${byMethod(proxy, BUSY_BLOCKS)}); method used: ${health?.nativeDetectionStatus?.mode} (${health?.nativeDetectionStatus?.reason})`,
        );
      }
      // Paused, so the engine's own polls are not counted as the baseline's.
      await engine.engine.invoke('chains.pause', { chainId: CHAIN_ID });
      resetProxy();
      t0 = performance.now();
      const base = await baselineScan({ url: proxy.url, from: firstBlock, to: traffic.lastBlock, watched, native: true });
      catchUp.baseline = usage(proxy, performance.now() - t0);
      console.log(
        `busy catch-up, baseline: ${seconds(catchUp.baseline.ms)} = ${fmt((BUSY_BLOCKS * 1000) / catchUp.baseline.ms)} blocks/s, matches ${base.tokenMatches + base.nativeMatches}/${sent}; per 1,000 blocks ${perThousand(catchUp.baseline, BUSY_BLOCKS)} (${byMethod(proxy, BUSY_BLOCKS)})`,
      );

      // --- live: blocks mined one at a time, each waited for ---
      const live: Record<string, Usage> = {};
      let offset = groups;
      const liveGroups = Math.ceil(LIVE_BLOCKS / EVERY);
      /** LIVE_BLOCKS more blocks, one at a time, each waited for; the next invoices in line are paid. */
      const mineLive = async () => {
        const run = await generateBusyTraffic({
          ...plan,
          blocks: LIVE_BLOCKS,
          tokenTargets: tokenTargets.slice(offset, offset + liveGroups),
          nativeTargets: nativeTargets.slice(offset, offset + liveGroups),
          afterBlock: async (block) => {
            await engine.untilCursor(block, 60_000);
          },
        });
        offset += liveGroups;
        return run;
      };
      let liveFirst = 0;
      let liveLast = 0;
      await engine.engine.invoke('chains.resume', { chainId: CHAIN_ID });
      for (const mode of ['balances', 'blocks'] as const) {
        await engine.setNativeDetection(mode);
        await engine.untilCursor(Number(BigInt(await anvil.rpc<string>('eth_blockNumber'))));
        resetProxy();
        t0 = performance.now();
        const run = await mineLive();
        live[mode] = usage(proxy, performance.now() - t0);
        if (mode === 'balances') [liveFirst, liveLast] = [run.firstBlock, run.lastBlock];
        console.log(
          `busy live, Till ${mode}: ${LIVE_BLOCKS} blocks; per 1,000 blocks ${perThousand(live[mode]!, LIVE_BLOCKS)} (${byMethod(proxy, LIVE_BLOCKS)})`,
        );
      }

      // --- live over ws: the engine's only URL is anvil's ws, through the byte-counting TCP proxy ---
      // (BENCH_HEADER_METHOD does not reach here: the TCP proxy passes anvil's own answers, and
      // anvil has no eth_getHeaderByNumber, so the few header reads left are ots_getBlockDetails.)
      await engine.setNativeDetection('balances');
      await engine.setRpcUrls([tcp.wsUrl]);
      await waitFor(async () => {
        const [health] = await engine.engine.invoke('chains.health', {});
        return health?.endpoints.length === 1 && health.endpoints[0]!.newHeads === 'live';
      }, 'the ws endpoint subscribed to newHeads');
      // One block first: the new pool's first balance-first step reads every watched balance at
      // its cursor (the stored ones are from an older block), once; tracking is what is measured.
      await rpc(anvil.rpcUrl, 'evm_mine');
      await engine.untilCursor(Number(BigInt(await anvil.rpc<string>('eth_blockNumber'))));
      const wsStart = wsTally(tcp);
      await mineLive();
      const ws = wsSince(tcp, wsStart);
      const wsCalls = [...ws.calls.values()].reduce((a, b) => a + b, 0);
      const wsUsage: Usage = { calls: wsCalls, bytes: ws.bytes, ms: 0 };
      // What the same run costs from a node whose newHeads carries no transaction list (geth's).
      const wsLean: Usage = { ...wsUsage, bytes: ws.bytes - ws.notifiedLists };
      console.log(
        `busy live over ws, Till balances: ${LIVE_BLOCKS} blocks; per 1,000 blocks ${perThousand(wsUsage, LIVE_BLOCKS)} (${wsByMethod(ws, LIVE_BLOCKS)})`,
      );

      // The baseline's live cost: the same blocks' bodies and logs, plus one eth_blockNumber per block.
      await engine.engine.invoke('chains.pause', { chainId: CHAIN_ID });
      resetProxy();
      await baselineScan({ url: proxy.url, from: liveFirst, to: liveLast, watched, native: true });
      for (let i = 0; i < LIVE_BLOCKS; i++) await rpc(proxy.url, 'eth_blockNumber');
      live.baseline = usage(proxy, 0);
      console.log(
        `busy live, baseline: per 1,000 blocks ${perThousand(live.baseline, LIVE_BLOCKS)} (${byMethod(proxy, LIVE_BLOCKS)})`,
      );

      const ratio = (a: Usage, b: Usage, key: 'calls' | 'bytes') => (a[key] / b[key]).toFixed(3);
      summary.push(
        `busy chain: ${fmt(BUSY_TXS)} unrelated transfers per block (body ${fmt(body / 1024)} KiB), ${fmt(ADDRESSES)} watched (half native), a native and an ERC-20 payment every ${EVERY} blocks; ${HEADER_METHOD ? 'the node answers eth_getHeaderByNumber (as geth and reth do; served by the proxy)' : `anvil as it is (${BUSY_HARDFORK}): headers by ots_getBlockDetails, no eth_getHeaderByNumber`}`,
        `  catch-up over ${fmt(BUSY_BLOCKS)} blocks, per 1,000 blocks (bytes received ratio to baseline; target ≤ 0.05; calls ≤ 0.1):`,
        `    Till balance-first ${perThousand(catchUp.balances!, BUSY_BLOCKS)}, ${fmt((BUSY_BLOCKS * 1000) / catchUp.balances!.ms)} blocks/s — bytes ${ratio(catchUp.balances!, catchUp.baseline, 'bytes')}, calls ${ratio(catchUp.balances!, catchUp.baseline, 'calls')}`,
        `    Till block bodies  ${perThousand(catchUp.blocks!, BUSY_BLOCKS)}, ${fmt((BUSY_BLOCKS * 1000) / catchUp.blocks!.ms)} blocks/s — bytes ${ratio(catchUp.blocks!, catchUp.baseline, 'bytes')}, calls ${ratio(catchUp.blocks!, catchUp.baseline, 'calls')}`,
        `    baseline           ${perThousand(catchUp.baseline, BUSY_BLOCKS)}, ${fmt((BUSY_BLOCKS * 1000) / catchUp.baseline.ms)} blocks/s`,
        `  live, ${fmt(LIVE_BLOCKS)} blocks one at a time, per 1,000 blocks:`,
        `    Till balance-first ${perThousand(live.balances!, LIVE_BLOCKS)} — bytes ${ratio(live.balances!, live.baseline, 'bytes')}`,
        `    Till block bodies  ${perThousand(live.blocks!, LIVE_BLOCKS)} — bytes ${ratio(live.blocks!, live.baseline, 'bytes')}`,
        `    Till balance-first over ws (every byte node → Till) ${perThousand(wsUsage, LIVE_BLOCKS)} — bytes ${ratio(wsUsage, live.baseline, 'bytes')}`,
        `      the same without the transaction hash lists in anvil's newHeads (geth's has none) ${perThousand(wsLean, LIVE_BLOCKS)} — bytes ${ratio(wsLean, live.baseline, 'bytes')}`,
        `    baseline           ${perThousand(live.baseline, LIVE_BLOCKS)}`,
      );
    } finally {
      await engine.close();
    }
  } finally {
    await tcp.close();
    await proxy.close();
    await anvil.stop();
  }
}

async function main() {
  const started = performance.now();
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model}, node ${process.version}`);
  if (PHASES.has('catchup') || PHASES.has('rpc')) await catchUpAndRpc();
  if (PHASES.has('latency')) await latency();
  if (PHASES.has('busy')) await busyChain();
  console.log('');
  console.log('=== bench:scan summary ===');
  console.log(
    `machine: ${cpus().length} × ${cpus()[0]?.model?.trim()}, ${fmt(totalmem() / 2 ** 30)} GiB, ${platform()} ${release()}, node ${process.version}, ${new Date().toISOString().slice(0, 10)}`,
  );
  for (const line of summary) console.log(line);
  console.log(`total run time ${seconds(performance.now() - started)}`);
}

await main();
