import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { encodeFunctionData, formatUnits, type Address } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBenchAnvil } from '../bench/support/anvil.ts';
import { hex, rpc, rpcBatch } from '../bench/support/json-rpc.ts';
import { generateTraffic, shuffled } from '../bench/support/traffic.ts';
import type { Invoice } from '../src/shared/domain.ts';
import type { Anvil } from './fixtures/anvil.ts';
import { anvilAccounts, deployTestToken, mintToken, testTokenAbi } from './fixtures/chain-actions.ts';
import { expectWholeOutboxConsistent, startHarness } from './fixtures/detection-harness.ts';
import { tempDataDir } from './fixtures/engine.ts';
import { waitFor } from './fixtures/ports.ts';
import { startRpcGate, type RpcGate } from './fixtures/rpc-gate.ts';
import { startRpcProxy, type RpcProxy } from './fixtures/rpc-proxy.ts';
import { readChainTruth, readSnapshot, snapshotProblems, type ChainTruth, type StoreSnapshot } from './fixtures/scan-truth.ts';
import { startTillServe, writeAnvilConfig, type TillServe } from './fixtures/till-serve.ts';

/**
 * Restarts in the middle of a catch-up (issue 3, "Restart"): a history of a few thousand blocks
 * with native and ERC-20 payments to a few hundred invoices exists before the engine scans it;
 * the engine is stopped (in process) or `till serve` is killed with SIGKILL part-way, and started
 * again on the same data dir. Whatever a stop or a crash leaves must be exactly the state of a
 * clean scan up to the stored cursor (payments, invoice states, outbox), and after the last
 * restart the store must match the chain read from anvil directly: every payment once, in its
 * canonical block, with the right statuses and no event twice.
 *
 * The engine reaches anvil through a gate (./fixtures/rpc-gate.ts) and the fault proxy: the
 * proxy's lagging head parks the catch-up at a chosen block, the gate holds the n-th request of
 * the next step so the stop or SIGKILL lands inside it, and at every request the store is read
 * and checked against the chain — each request is a moment the process could die at.
 */
const CHAIN_ID = 31337;
/** What writeAnvilConfig configures for `till serve`; the in-process engine uses the same. */
const CONFIRMATIONS = 2;
const WEEK = 7 * 24 * 3600;
const NATIVE_UNIT = 10n ** 15n; // 0.001 ETH
const TOKEN_UNIT = 1_000_000n; // 1 TUSD (6 decimals)
/**
 * How far the served head moves on from a stop/kill point while the scanner is let go: short of
 * the next point (so every round starts below it) and of the real head (so no catch-up finishes).
 */
const ADVANCE = 400;

/**
 * Invoice kinds by how they are paid (in payment units; each payment is one unit). Every payment
 * but an invoice's last leaves it short, so its events are the same however scan steps fall.
 */
const KINDS = {
  exact: { count: 40, native: '0.001', token: '1', status: 'confirmed/null' },
  twice: { count: 40, native: '0.002', token: '2', status: 'confirmed/null' },
  over: { count: 30, native: '0.0015', token: '1.5', status: 'confirmed/overpaid' },
  under: { count: 30, native: '0.002', token: '2', status: 'pending/underpaid' },
  unpaid: { count: 10, native: '0.001', token: '1', status: 'pending/null' },
  /** Paid in the head block: one confirmation of CONFIRMATIONS. */
  fresh: { count: 10, native: '0.001', token: '1', status: 'detected/null' },
} as const;
type Kind = keyof typeof KINDS;
type Asset = 'native' | 'token';
type Addresses = Record<Asset, Record<Kind, string[]>>;

/** Collects problems found while polling (a failed assertion inside waitFor would only be retried). */
function problemLog() {
  const problems: string[] = [];
  return {
    problems,
    note(snapshot: StoreSnapshot, truth: ChainTruth): StoreSnapshot {
      for (const problem of snapshotProblems(snapshot, truth, CONFIRMATIONS))
        if (problems.length < 30 && !problems.includes(problem)) problems.push(problem);
      return snapshot;
    },
  };
}

/** Alerts a scan raises (reorgs, wrong tokens, late or internal payments): a restart must cause none. (No
 * treasury is set here, so the sweeper rightly says it cannot sweep the confirmed invoices.) */
const scanAlerts = (db: BetterSqlite3.Database) =>
  db.prepare("SELECT type, message FROM alerts WHERE type NOT IN ('endpoint_down', 'chain_stalled', 'treasury_missing')").all();

describe('restarts during a catch-up', () => {
  let anvil: Anvil;
  let proxy: RpcProxy;
  let gate: RpcGate;
  let token: Address;
  let truth: ChainTruth;
  let historyFrom: number;
  let killDirApiKey: string;
  const kindOf = new Map<string, { asset: Asset; kind: Kind }>();
  const stopDir = tempDataDir('till-restart-stop-');
  const killDir = tempDataDir('till-restart-kill-');
  const serves: TillServe[] = [];

  /** A block part-way through the history. */
  const at = (fraction: number) => historyFrom + Math.floor(fraction * (truth.head - historyFrom));
  const tokens = () => [{ symbol: 'TUSD', address: token, decimals: 6 }];

  /**
   * The same invoices, in the same order, so both data dirs get the same deposit addresses; and
   * a merchant API key.
   */
  async function prepareDataDir(dataDir: string, startBlock: number): Promise<{ addresses: Addresses; apiKey: string }> {
    const till = await startHarness(anvil, {
      dataDir,
      rpcUrls: [gate.url],
      confirmations: CONFIRMATIONS,
      tokens: tokens(),
      startBlock,
    });
    const addresses = { native: {}, token: {} } as Addresses;
    let apiKey = '';
    try {
      apiKey = (await till.engine.invoke('apiKeys.create', { name: 'shop', scopes: ['invoices:read'] })).secret;
      for (const asset of ['native', 'token'] as const) {
        for (const [kind, spec] of Object.entries(KINDS) as [Kind, (typeof KINDS)[Kind]][]) {
          const list: string[] = [];
          for (let i = 0; i < spec.count; i++) {
            const invoice: Invoice = await till.create({
              token: asset === 'native' ? 'native' : 'TUSD',
              amount: spec[asset],
              expiresInSeconds: WEEK,
            });
            list.push(invoice.address.toLowerCase());
          }
          addresses[asset][kind] = list;
        }
      }
    } finally {
      await till.stop();
    }
    return { addresses, apiKey };
  }

  /** One block paying each `fresh` invoice one unit: the head, one confirmation deep. */
  async function payInOneBlock(from: string, native: string[], tokenTargets: string[]): Promise<void> {
    await rpc(anvil.rpcUrl, 'evm_setAutomine', [false]);
    let nonce = Number(BigInt(await rpc<string>(anvil.rpcUrl, 'eth_getTransactionCount', [from, 'pending'])));
    await rpcBatch(anvil.rpcUrl, [
      ...native.map((to) => ({
        method: 'eth_sendTransaction',
        params: [{ from, to, gas: hex(21_000), nonce: hex(nonce++), value: hex(NATIVE_UNIT) }],
      })),
      ...tokenTargets.map((to) => ({
        method: 'eth_sendTransaction',
        params: [
          {
            from,
            to: token,
            gas: hex(100_000),
            nonce: hex(nonce++),
            data: encodeFunctionData({
              abi: testTokenAbi,
              functionName: 'transfer',
              args: [to as Address, TOKEN_UNIT],
            }),
          },
        ],
      })),
    ]);
    await rpc(anvil.rpcUrl, 'evm_mine');
    await rpc(anvil.rpcUrl, 'evm_setAutomine', [true]);
  }

  beforeAll(async () => {
    // Pruned state history keeps mining a few thousand blocks fast (see bench/support/anvil.ts).
    anvil = await startBenchAnvil({ chainId: CHAIN_ID, args: ['--hardfork', 'cancun', '--prune-history'] });
    const [payer] = await anvilAccounts(anvil);
    token = await deployTestToken(anvil);
    await mintToken(anvil, token, payer!, 10n ** 30n);
    // The engine talks to the gate, the gate to the proxy, the proxy to anvil.
    proxy = await startRpcProxy(anvil.rpcUrl);
    gate = await startRpcGate(proxy.url);

    historyFrom = Number(BigInt(await rpc<string>(anvil.rpcUrl, 'eth_blockNumber'))) + 1;
    const { addresses } = await prepareDataDir(stopDir.dir, historyFrom);
    const kill = await prepareDataDir(killDir.dir, historyFrom);
    expect(kill.addresses).toEqual(addresses);
    killDirApiKey = kill.apiKey;
    for (const asset of ['native', 'token'] as const)
      for (const kind of Object.keys(KINDS) as Kind[])
        for (const address of addresses[asset][kind]) kindOf.set(address, { asset, kind });

    // The history, made while no engine runs: first payments, then second payments, then the head.
    const first = (asset: Asset) => [
      ...addresses[asset].exact,
      ...addresses[asset].twice,
      ...addresses[asset].over,
      ...addresses[asset].under,
    ];
    const second = (asset: Asset) => [...addresses[asset].twice, ...addresses[asset].over];
    const traffic = { url: anvil.rpcUrl, from: payer!, token, every: 10, tokenAmount: TOKEN_UNIT, nativeAmount: NATIVE_UNIT };
    const pass1 = await generateTraffic({
      ...traffic,
      blocks: 2000,
      nativeTargets: shuffled(first('native'), 1),
      tokenTargets: shuffled(first('token'), 2),
    });
    const pass2 = await generateTraffic({
      ...traffic,
      blocks: 1000,
      nativeTargets: shuffled(second('native'), 3),
      tokenTargets: shuffled(second('token'), 4),
    });
    await payInOneBlock(payer!, addresses.native.fresh, addresses.token.fresh);

    truth = await readChainTruth(anvil, token, new Set(kindOf.keys()));
    const sent =
      pass1.nativeTransfers + pass1.tokenTransfers + pass2.nativeTransfers + pass2.tokenTransfers + 2 * KINDS.fresh.count;
    expect(truth.transfers).toHaveLength(sent);
    expect(truth.head).toBe(historyFrom + 3000);
  });

  afterAll(async () => {
    for (const serve of serves) await serve.stop('SIGKILL');
    await gate?.close();
    await proxy?.close();
    await anvil?.stop();
    stopDir.cleanup();
    killDir.cleanup();
  });

  /** Status/exception of every invoice by asset and kind, from a snapshot; one entry where all agree. */
  function statusesByKind(snapshot: StoreSnapshot): Record<string, string[]> {
    const out: Record<string, Set<string>> = {};
    for (const invoice of snapshot.invoices) {
      const { asset, kind } = kindOf.get(invoice.address.toLowerCase())!;
      (out[`${asset} ${kind}`] ??= new Set()).add(`${invoice.status}/${invoice.exception_status}`);
    }
    return Object.fromEntries(Object.entries(out).map(([key, set]) => [key, [...set]]));
  }
  const expectedStatuses = () =>
    Object.fromEntries(
      (['native', 'token'] as const).flatMap((asset) =>
        (Object.keys(KINDS) as Kind[]).map((kind) => [`${asset} ${kind}`, [KINDS[kind].status]]),
      ),
    );

  /**
   * Lets a catch-up started now go up to `block` and no further: the proxy serves a head that far
   * behind the real one, so the scan rests there (part-way, deterministically).
   */
  const pinHeadAt = (block: number) => {
    proxy.faults = { lagBlocks: truth.head - block };
  };
  async function untilCursorAt(block: number, observe: () => StoreSnapshot): Promise<void> {
    await waitFor(() => (observe().cursor?.blockNumber ?? -1) >= block, `the cursor to reach block ${block}`);
    expect(observe().cursor?.blockNumber).toBe(block);
  }

  /**
   * Moves the served head on to `block` (still short of the real one, so the catch-up cannot
   * finish) and lets the scanner make `requests` more RPC requests; the next one and all after it
   * are held unanswered, and `atHold` runs as the first of them arrives.
   */
  async function releaseAndHoldAfter(
    block: number,
    requests: number,
    observe: () => StoreSnapshot,
    atHold: () => void = () => {},
  ): Promise<void> {
    let seen = 0;
    gate.onRequest = () => {
      observe();
      if (seen++ < requests) return;
      if (seen === requests + 1) atHold();
      return 'hold';
    };
    pinHeadAt(block);
    await waitFor(() => seen > requests, `the scanner to make ${requests + 1} requests`);
  }

  /** Each request the scanner makes is a moment it could crash at: the store is checked at each. */
  const observeEveryRequest = (observe: () => StoreSnapshot) => {
    gate.onRequest = () => void observe();
  };

  it('stopping the engine in the middle of catch-up steps, at three points, then finishing: nothing missed, nothing twice', async () => {
    const db = new BetterSqlite3(join(stopDir.dir, 'till.db'), { readonly: true });
    const log = problemLog();
    const observe = () => log.note(readSnapshot(db, CHAIN_ID), truth);
    observeEveryRequest(observe);
    const stops = [
      { fraction: 0.2, requests: 2 },
      { fraction: 0.45, requests: 5 },
      { fraction: 0.7, requests: 9 },
    ];
    try {
      const stoppedAt: number[] = [];
      for (const { fraction, requests } of stops) {
        pinHeadAt(at(fraction));
        const till = await startHarness(anvil, { dataDir: stopDir.dir });
        await untilCursorAt(at(fraction), observe);
        // The stop comes while a request of the catch-up is unanswered: it aborts a step part-way.
        await releaseAndHoldAfter(at(fraction) + ADVANCE, requests, observe);
        await till.stop();
        observeEveryRequest(observe);
        stoppedAt.push(observe().cursor!.blockNumber);
      }
      expect(log.problems).toEqual([]);
      stops.forEach(({ fraction }, i) => {
        expect(stoppedAt[i]).toBeGreaterThanOrEqual(at(fraction));
        expect(stoppedAt[i]).toBeLessThanOrEqual(at(fraction) + ADVANCE);
      });

      proxy.faults = {};
      const till = await startHarness(anvil, { dataDir: stopDir.dir });
      try {
        await waitFor(() => (observe().cursor?.blockNumber ?? -1) >= truth.head, 'the catch-up to reach the head');
        const final = observe();
        expect(log.problems).toEqual([]);
        expect(final.payments).toHaveLength(truth.transfers.length);
        expect(statusesByKind(final)).toEqual(expectedStatuses());
        expect(scanAlerts(db)).toEqual([]);
        expectWholeOutboxConsistent(till.engine);
      } finally {
        await till.stop();
      }
    } finally {
      db.close();
    }
  });

  it('kill -9 of till serve while a scan step waits for the node, at three points, then a restart that catches up: nothing missed, nothing twice', async () => {
    const file = join(killDir.dir, 'till.db');
    const config = writeAnvilConfig(killDir.dir, gate.url, { tokens: tokens() });
    const db = new BetterSqlite3(file, { readonly: true });
    const log = problemLog();
    const observe = () => log.note(readSnapshot(db, CHAIN_ID), truth);
    observeEveryRequest(observe);
    const kills = [
      { fraction: 0.15, requests: 1 },
      { fraction: 0.45, requests: 4 },
      { fraction: 0.7, requests: 10 },
    ];
    try {
      const killedAt: number[] = [];
      for (const { fraction, requests } of kills) {
        pinHeadAt(at(fraction));
        const serve = await startTillServe(killDir.dir, ['--config', config]);
        serves.push(serve);
        await untilCursorAt(at(fraction), observe);
        // SIGKILL at the moment the process waits for an answer from the node, mid-catch-up.
        await releaseAndHoldAfter(at(fraction) + ADVANCE, requests, observe, () => serve.process.kill('SIGKILL'));
        await serve.stop('SIGKILL');
        expect(serve.process.signalCode).toBe('SIGKILL');
        observeEveryRequest(observe);
        const check = new BetterSqlite3(file, { readonly: true });
        try {
          expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
        } finally {
          check.close();
        }
        killedAt.push(observe().cursor!.blockNumber);
      }
      expect(log.problems).toEqual([]);
      kills.forEach(({ fraction }, i) => {
        expect(killedAt[i]).toBeGreaterThanOrEqual(at(fraction));
        expect(killedAt[i]).toBeLessThanOrEqual(at(fraction) + ADVANCE);
      });

      proxy.faults = {};
      const serve = await startTillServe(killDir.dir, ['--config', config]);
      serves.push(serve);
      await waitFor(() => (observe().cursor?.blockNumber ?? -1) >= truth.head, 'the catch-up to reach the head');
      const final = observe();
      expect(log.problems).toEqual([]);
      expect(final.payments).toHaveLength(truth.transfers.length);
      expect(statusesByKind(final)).toEqual(expectedStatuses());
      expect(scanAlerts(db)).toEqual([]);

      // The merchant API tells the same story.
      const response = await fetch(`${serve.url}/api/v1/invoices?limit=500`, {
        headers: { authorization: `Bearer ${killDirApiKey}` },
      });
      const { items } = (await response.json()) as { items: Invoice[] };
      expect(items).toHaveLength(final.invoices.length);
      for (const invoice of items) {
        const row = final.invoices.find((r) => r.id === invoice.id)!;
        const address = row.address.toLowerCase();
        const { asset } = kindOf.get(address)!;
        expect(`${invoice.status}/${invoice.exceptionStatus}`).toBe(`${row.status}/${row.exception_status}`);
        expect(invoice.amountReceived).toBe(formatUnits(BigInt(row.amount_received), asset === 'native' ? 18 : 6));
        expect(
          invoice.payments.map((p) => ({
            txHash: p.txHash.toLowerCase(),
            logIndex: p.logIndex ?? -1,
            blockNumber: p.blockNumber,
            blockHash: p.blockHash.toLowerCase(),
            status: p.status,
          })),
        ).toEqual(
          truth.transfers
            .filter((t) => t.to === address)
            .map((t) => ({
              txHash: t.txHash,
              logIndex: t.logIndex,
              blockNumber: t.blockNumber,
              blockHash: t.blockHash,
              status: truth.head - t.blockNumber + 1 >= CONFIRMATIONS ? 'confirmed' : 'pending',
            })),
        );
      }
      await serve.stop();
    } finally {
      db.close();
    }
  });
});
