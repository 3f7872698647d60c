import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../../../../test/fixtures/engine.ts';
import { createFakeChain, createFakePool, type FakeChain, type FakePool } from '../../../../test/fixtures/fake-chain.ts';
import { systemClock } from '../lib/clock.ts';
import { createChainScanner, ScanRestartError, type ChainScannerOptions, type StepResult } from './chain-scanner.ts';

const CHAIN_ID = 31337;
const USDC = '0x5fbdb2315678afecb367f032d93f642f64180aa3';
const NATIVE_AMOUNT = 10n ** 18n;
const USDC_AMOUNT = 1_000_000n;

describe('chain scanner over an in-memory chain', () => {
  let test: TestEngine;
  let chain: FakeChain;
  let pool: FakePool;

  beforeEach(async () => {
    test = await startTestEngine();
    chain = createFakeChain();
    pool = createFakePool(chain);
    // These tests are about reading block bodies (the fake chain runs no eth_call); balance-first
    // is tested against anvil in test/native-balances.test.ts.
    test.engine.store.db.prepare("UPDATE chains SET native_detection = 'blocks' WHERE chain_id = ?").run(CHAIN_ID);
  });
  afterEach(async () => {
    await test.close();
  });

  const store = () => test.engine.store;
  const invoice = async (token: 'native' | 'USDC') =>
    (await test.engine.invoke('invoices.create', { chainId: CHAIN_ID, token, amount: '1' })).address.toLowerCase();
  const payments = () =>
    (
      store().db.prepare("SELECT to_address, block_hash FROM payments WHERE status != 'orphaned' ORDER BY id").all() as {
        to_address: string;
        block_hash: string;
      }[]
    ).map((row) => ({ to: row.to_address, blockHash: row.block_hash }));
  const startAt = (number: number) =>
    store().write(() => store().scanCursors.set(CHAIN_ID, number, chain.block(number)!.hash, new Date().toISOString()));
  const scanner = (options: ChainScannerOptions = {}) =>
    createChainScanner(
      { chainId: CHAIN_ID, store: store(), clock: systemClock, logger: pino({ enabled: false }), rpc: pool, published: () => {} },
      options,
    );
  /** Steps until caught up; restarts (the chain moved under a step) are retried, as the supervisor does. */
  async function catchUp(scan: ReturnType<typeof scanner>, limit = 100): Promise<{ steps: StepResult[]; restarts: number }> {
    const steps: StepResult[] = [];
    let restarts = 0;
    for (let i = 0; i < limit; i++) {
      try {
        const result = await scan.step(new AbortController().signal);
        steps.push(result);
        if (result.caughtUp) return { steps, restarts };
      } catch (error) {
        if (!(error instanceof ScanRestartError)) throw error;
        restarts++;
      }
    }
    throw new Error(`not caught up after ${limit} steps`);
  }

  it('catch-up over native and ERC-20 traffic finds each payment once, in steps that grow to the most allowed', async () => {
    const native = await Promise.all(Array.from({ length: 5 }, () => invoice('native')));
    const token = await Promise.all(Array.from({ length: 5 }, () => invoice('USDC')));
    startAt(0);
    for (let n = 1; n <= 3_000; n++) {
      const i = n % 600 === 0 ? n / 600 - 1 : -1;
      chain.mine(
        i >= 0
          ? { native: [{ to: native[i]!, value: NATIVE_AMOUNT }], erc20: [{ token: USDC, to: token[i]!, amount: USDC_AMOUNT }] }
          : {},
      );
    }
    const { steps } = await catchUp(scanner({ nativeFirstBlocksPerStep: 200, nativeBlocksPerStep: 800, stepTargetMs: 60_000 }));
    const sizes = steps.map((step, i) => step.scannedTo - (i === 0 ? 0 : steps[i - 1]!.scannedTo));
    expect(sizes).toEqual([200, 400, 800, 800, 800]);
    expect(
      payments()
        .map((p) => p.to)
        .sort(),
    ).toEqual([...native, ...token].sort());
    expect(store().scanCursors.get(CHAIN_ID)).toMatchObject({ blockNumber: 3_000, blockHash: chain.block(3_000)!.hash });
    // The reorg window near the head is stored; nothing below it.
    expect(store().recentBlocks.get(CHAIN_ID, 3_000 - 63)).toBeDefined();
    expect(store().recentBlocks.get(CHAIN_ID, 3_000 - 64)).toBeUndefined();
  });

  it('steps shrink while they take longer than twice the target', async () => {
    await invoice('native');
    startAt(0);
    chain.mineEmpty(1_000);
    const { steps } = await catchUp(scanner({ nativeFirstBlocksPerStep: 400, stepTargetMs: 0 }));
    const sizes = steps.map((step, i) => step.scannedTo - (i === 0 ? 0 : steps[i - 1]!.scannedTo));
    expect(sizes.slice(0, 3)).toEqual([400, 200, 100]);
    expect(Math.min(...sizes)).toBe(100);
  });

  it('a step keeps a few reads in flight, never more than requestsInFlight', async () => {
    await invoice('native');
    await invoice('USDC');
    startAt(0);
    chain.mineEmpty(1_000);
    await catchUp(scanner({ nativeFirstBlocksPerStep: 1_000, requestsInFlight: 3, addressChunk: 1 }));
    expect(pool.maxInFlight).toBe(3);
  });

  for (const mode of ['native and ERC-20 watched', 'ERC-20 only'] as const) {
    it(`${mode}: a reorg between a step's last header and its logs never commits the replaced blocks' logs`, async () => {
      const token = await invoice('USDC');
      if (mode === 'native and ERC-20 watched') await invoice('native');
      startAt(0);
      chain.mineEmpty(120);
      // The logs are answered from the chain as it was; right after, block 100 is replaced by
      // one paying the token invoice (the head height stays 120).
      let reorged = false;
      pool.hooks.afterGetLogs = () => {
        if (reorged) return;
        reorged = true;
        chain.reorg(100, (n) => (n === 100 ? { erc20: [{ token: USDC, to: token, amount: USDC_AMOUNT }] } : {}));
      };
      const { restarts } = await catchUp(scanner());
      expect(reorged).toBe(true);
      expect(payments()).toEqual([{ to: token, blockHash: chain.block(100)!.hash }]);
      expect(store().scanCursors.get(CHAIN_ID)).toMatchObject({ blockNumber: 120, blockHash: chain.block(120)!.hash });
      // Found by the step that read the replaced range again, not by a walk back after a commit.
      expect(restarts).toBeGreaterThan(0);
      expect(store().alerts.list({ includeAcknowledged: true, limit: 10 })).toEqual([]);
    });
  }

  it('an invoice created during a catch-up step is watched from the next step on and its payment found', async () => {
    await invoice('native');
    startAt(0);
    chain.mineEmpty(300);
    let late: string | undefined;
    pool.hooks.afterGetLogs = async () => {
      if (late) return;
      // Created while a step is reading; paid in a block mined after it, above that step's range.
      late = await invoice('native');
      chain.mine({ native: [{ to: late, value: NATIVE_AMOUNT }] });
    };
    await catchUp(scanner({ nativeFirstBlocksPerStep: 100 }));
    expect(payments()).toEqual([{ to: late, blockHash: chain.block(301)!.hash }]);
  });

  it('the watch set follows invoices leaving it and new ones joining it between steps', async () => {
    const left = await invoice('native');
    startAt(0);
    chain.mineEmpty(10);
    const scan = scanner();
    await catchUp(scan);
    const id = (await test.engine.invoke('invoices.list', { limit: 10 })).items.find((i) => i.address.toLowerCase() === left)!.id;
    await test.engine.invoke('invoices.markInvalid', { id, reason: 'test: no longer watched' });
    const joined = await invoice('native');
    chain.mine({
      native: [
        { to: left, value: NATIVE_AMOUNT },
        { to: joined, value: NATIVE_AMOUNT },
      ],
    });
    await catchUp(scan);
    expect(payments()).toEqual([{ to: joined, blockHash: chain.block(11)!.hash }]);
  });

  it('an idle poll re-reads the tip only once the next block is overdue (twice the block time), not right after the step that read it', async () => {
    await invoice('USDC');
    startAt(0);
    for (let n = 1; n <= 20; n++) chain.mine({});
    let now = Date.parse('2030-01-01T00:00:00Z');
    const scan = createChainScanner(
      {
        chainId: CHAIN_ID,
        store: store(),
        clock: { now: () => now },
        logger: pino({ enabled: false }),
        rpc: pool,
        published: () => {},
      },
      {},
    );
    await catchUp(scan);
    // The fake chain makes a block a second: the tip is overdue after 2 s.
    expect(store().recentBlocks.medianBlockTimeMs(CHAIN_ID)).toBe(1_000);
    const reads = () => pool.calls['eth_getBlockByNumber'] ?? 0;
    const idlePoll = async () => {
      const before = reads();
      await scan.step(new AbortController().signal);
      return reads() - before;
    };
    expect(await idlePoll()).toBe(0);
    now += 1_500;
    expect(await idlePoll()).toBe(0);
    now += 1_000;
    expect(await idlePoll()).toBe(1);
    expect(await idlePoll()).toBe(0);
    // A new block: its step reads its header; the polls after it do not read it again.
    chain.mine({});
    expect(await idlePoll()).toBe(1);
    now += 100;
    expect(await idlePoll()).toBe(0);
    // A same-height reorg of the tip is still seen, by the overdue recheck.
    chain.reorg(21);
    expect((await scan.step(new AbortController().signal)).reorgDepth).toBe(0);
    now += 2_000;
    expect((await scan.step(new AbortController().signal)).reorgDepth).toBe(1);
  });
});
