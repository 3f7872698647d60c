import { parseEther, type Address, type Hex } from 'viem';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RpcEndpointHealth } from '../src/shared/domain.ts';
import { BREAKER_MAX_COOLDOWN_MS } from '../src/main/engine/chains/rpc/endpoint-state.ts';
import { startAnvil, type Anvil } from './fixtures/anvil.ts';
import { anvilAccounts, deployTestToken, mine, revert, sendNative, snapshot, transferToken } from './fixtures/chain-actions.ts';
import {
  adjustableClock,
  canonicalHash,
  expectOutboxConsistent,
  expectWholeOutboxConsistent,
  headOf,
  startHarness,
  type Harness,
  type HarnessOptions,
} from './fixtures/detection-harness.ts';
import { waitFor } from './fixtures/ports.ts';
import { startRpcProxy, type ProxyFaults, type RpcProxy } from './fixtures/rpc-proxy.ts';

/**
 * Fault injection between Till and a real node: two loopback proxies in front of one anvil, one
 * of them faulty, both configured as the chain's RPC URLs. Whatever the faulty one does, every
 * payment must be recorded exactly once in its canonical block, every invoice must confirm with
 * exactly the expected events, and the chain health must show the faulty endpoint's problem.
 */
const CONFIRMATIONS = 2;
const LAG = 8;
/** Short RPC timeouts keep a hanging endpoint from slowing every step down to the 10 s default. */
const RPC_TUNING: HarnessOptions['rpcTuning'] = { timeoutMs: 600, lagThreshold: 5 };
/** Extra latency on one proxy so the ranking by latency (and so which endpoint a step asks) is predictable. */
const SLOWER_MS = 40;

const CONFIRMED_EVENTS = ['invoice.created', 'invoice.payment_received', 'invoice.detected', 'invoice.confirmed'];

interface FaultCase {
  name: string;
  faults: ProxyFaults;
  /** What the chain health screen shows about the faulty endpoint, once it has been asked. */
  shows: (faulty: RpcEndpointHealth, clean: RpcEndpointHealth) => boolean;
  /**
   * The fault starts once the scan has begun. Two endpoints that disagree from the very first
   * block leave nothing to tell which one is right: that case has its own test below.
   */
  afterFirstScan?: boolean;
}

const FAULTS: FaultCase[] = [
  {
    name: 'delays every answer',
    faults: { delayMs: 250 },
    shows: (faulty, clean) => faulty.latencyMs !== null && faulty.latencyMs >= 250 && faulty.latencyMs > (clean.latencyMs ?? 0),
  },
  {
    name: 'never answers (timeouts)',
    faults: { hang: true },
    shows: (faulty) => faulty.circuit === 'open' && /no answer within/.test(faulty.lastError ?? ''),
  },
  {
    name: 'answers 429 with Retry-After',
    faults: { rateLimit: { retryAfterSeconds: 120 } },
    shows: (faulty) =>
      faulty.cooldownUntil !== null && /rate limited \(HTTP 429, retry after 120 s\)/.test(faulty.lastError ?? ''),
  },
  {
    name: 'answers HTTP 500',
    faults: { status: 500 },
    shows: (faulty) => faulty.circuit === 'open' && /HTTP 500/.test(faulty.lastError ?? ''),
  },
  {
    name: 'truncates its JSON',
    faults: { truncate: true },
    shows: (faulty) => faulty.circuit === 'open' && /not valid JSON/.test(faulty.lastError ?? ''),
  },
  {
    name: `serves a head ${LAG} blocks behind`,
    faults: { lagBlocks: LAG },
    shows: (faulty, clean) => faulty.lagging && faulty.head !== null && clean.head !== null && faulty.head <= clean.head - LAG,
  },
  {
    name: 'serves another fork’s block hashes',
    faults: { fakeBlockHashes: true },
    shows: (faulty) => /another fork/.test(faulty.lastError ?? ''),
    afterFirstScan: true,
  },
];

describe('RPC faults: with two endpoints, every payment is found exactly once and none is invented', () => {
  let anvil: Anvil;
  let usdc: Address;
  let payer: Address;
  let faulty: RpcProxy;
  let clean: RpcProxy;
  let till: Harness | undefined;
  let base: Hex;

  beforeAll(async () => {
    anvil = await startAnvil();
    usdc = await deployTestToken(anvil, { symbol: 'USDC', decimals: 6 });
    payer = (await anvilAccounts(anvil))[3]!;
    await mine(anvil, 1);
    [faulty, clean] = await Promise.all([startRpcProxy(anvil.rpcUrl), startRpcProxy(anvil.rpcUrl)]);
  });
  afterAll(async () => {
    await Promise.all([faulty?.close(), clean?.close()]);
    await anvil?.stop();
  });
  beforeEach(async () => {
    base = await snapshot(anvil);
    faulty.reset();
    clean.reset();
  });
  afterEach(async () => {
    await till?.close();
    till = undefined;
    await revert(anvil, base);
  });

  function start(urls: string[], options: Partial<HarnessOptions> = {}): Promise<Harness> {
    return startHarness(anvil, {
      rpcUrls: urls,
      confirmations: CONFIRMATIONS,
      tokens: [{ symbol: 'USDC', address: usdc, decimals: 6 }],
      rpcTuning: RPC_TUNING,
      ...options,
    }).then((harness) => (till = harness));
  }

  function endpointHealth(url: string): RpcEndpointHealth {
    const endpoint = till!.engine.chainHealth()[0]?.endpoints.find((e) => e.url === url);
    if (!endpoint) throw new Error(`no health for ${url}`);
    return endpoint;
  }

  interface Sent {
    invoiceId: string;
    txHash: Hex;
    logIndex: number | null;
  }

  /** One native and one ERC-20 invoice, each paid in full; plus a payment to an address no invoice has. */
  async function payTwoInvoices(): Promise<Sent[]> {
    const native = await till!.create({ amount: '0.25' });
    const token = await till!.create({ token: 'USDC', amount: '12.5' });
    const nativeTx = await sendNative(anvil, { from: payer, to: native.address as Address, value: parseEther('0.25') });
    const tokenTx = await transferToken(anvil, {
      token: usdc,
      from: payer,
      to: token.address as Address,
      amount: 12_500_000n,
    });
    // Not an invoice's address: must never show up as a payment.
    await sendNative(anvil, { from: payer, to: '0x000000000000000000000000000000000000dEaD', value: 1n });
    const receipt = await anvil.rpc<{ logs: { logIndex: Hex }[] }>('eth_getTransactionReceipt', [tokenTx]);
    return [
      { invoiceId: native.id, txHash: nativeTx, logIndex: null },
      { invoiceId: token.id, txHash: tokenTx, logIndex: Number(receipt.logs[0]!.logIndex) },
    ];
  }

  /**
   * Mines to the confirmation depth (`blocks`), waits for every invoice to confirm and the scan to
   * reach `scannedTo` (default: anvil's head), then checks the store against anvil itself.
   */
  async function expectAllConfirmedOnce(sent: Sent[], blocks = CONFIRMATIONS, scannedTo?: number): Promise<void> {
    if (blocks > 0) await mine(anvil, blocks);
    for (const { invoiceId } of sent) await till!.until(invoiceId, (i) => i.status === 'confirmed', `${invoiceId} confirmed`);
    await till!.caughtUp(scannedTo);

    const rows = till!.payments();
    // Nothing invented: one row per payment sent, and no other row.
    expect(rows).toHaveLength(sent.length);
    for (const payment of sent) {
      const mine = rows.filter((row) => row.txHash === payment.txHash);
      expect(mine, `payment ${payment.txHash}`).toHaveLength(1);
      const row = mine[0]!;
      const receipt = await anvil.rpc<{ blockNumber: Hex; blockHash: Hex }>('eth_getTransactionReceipt', [payment.txHash]);
      expect(row).toMatchObject({
        invoiceId: payment.invoiceId,
        blockNumber: Number(receipt.blockNumber),
        blockHash: await canonicalHash(anvil, Number(receipt.blockNumber)),
        status: 'confirmed',
        counted: true,
      });
      if (payment.logIndex !== null) expect(row.logIndex).toBe(payment.logIndex);
      expect(till!.eventTypes(payment.invoiceId)).toEqual(CONFIRMED_EVENTS);
      expectOutboxConsistent(till!.engine, payment.invoiceId);
    }
    expectWholeOutboxConsistent(till!.engine);
    expect(await till!.alerts('deep_reorg')).toEqual([]);
  }

  /** Nothing recorded, nothing orphaned, no event past `invoice.created`, no reorg alert. */
  async function expectNothingRecorded(sent: Sent[]): Promise<void> {
    expect(till!.payments()).toEqual([]);
    for (const { invoiceId } of sent) {
      expect((await till!.invoice(invoiceId)).status).toBe('pending');
      expect(till!.eventTypes(invoiceId)).toEqual(['invoice.created']);
    }
    expect(await till!.alerts('deep_reorg')).toEqual([]);
  }

  const chainHealth = () => till!.engine.chainHealth()[0]!;

  async function blockOf(txHash: Hex): Promise<number> {
    return Number((await anvil.rpc<{ blockNumber: Hex }>('eth_getTransactionReceipt', [txHash])).blockNumber);
  }

  describe.each(FAULTS)('the faulty endpoint $name', ({ faults, shows, afterFirstScan }) => {
    it.each([
      ['listed second and slower', 'second'],
      ['listed first and faster', 'first'],
    ] as const)('%s: native and ERC-20 payments confirm once, in canonical blocks; health shows it', async (_, place) => {
      const slower = place === 'second' ? faulty : clean;
      slower.faults = { delayMs: SLOWER_MS };
      const inject = () => (faulty.faults = { ...faulty.faults, ...faults });
      if (!afterFirstScan) inject();
      await start(place === 'first' ? [faulty.url, clean.url] : [clean.url, faulty.url]);
      if (afterFirstScan) {
        await till!.caughtUp();
        inject();
      }

      const sent = await payTwoInvoices();
      await expectAllConfirmedOnce(sent);

      await waitFor(
        () => shows(endpointHealth(faulty.url), endpointHealth(clean.url)),
        "the chain health to show the faulty endpoint's problem",
        15_000,
      ).catch((error: Error) => {
        throw new Error(`${error.message}; it shows ${JSON.stringify(endpointHealth(faulty.url))}`);
      });
      expect(endpointHealth(clean.url)).toMatchObject({ circuit: 'closed', lagging: false });
    });
  });

  it('429 with Retry-After: the endpoint is not asked again before the time it asked for', async () => {
    faulty.faults = { rateLimit: { retryAfterSeconds: 120 } };
    await start([faulty.url, clean.url]);
    const sent = await payTwoInvoices();
    await expectAllConfirmedOnce(sent);
    // One eth_chainId (the first call to a new endpoint) was refused; nothing was sent after it.
    expect(faulty.counts()).toEqual({ eth_chainId: 1 });
  });

  describe('one endpoint only, lagging', () => {
    const BEHIND = 6;

    it('lagging from the start: the scan stops at its head, and the payments are found once it has their blocks', async () => {
      await mine(anvil, BEHIND + 2);
      faulty.faults = { lagBlocks: BEHIND };
      await start([faulty.url], { startBlock: (await headOf(anvil)) - BEHIND + 1 });
      const sent = await payTwoInvoices();
      const nodeHead = (await headOf(anvil)) - BEHIND;
      await till!.caughtUp(nodeHead);
      const payBlocks = await Promise.all(sent.map((p) => blockOf(p.txHash)));
      // The payments sit above what the node has seen: not there yet, and not "nothing there" either.
      expect(Math.min(...payBlocks)).toBeGreaterThan(nodeHead);
      await mine(anvil, 1);
      await till!.caughtUp(nodeHead + 1);
      expect(till!.cursor()).toBe(nodeHead + 1);
      expect(chainHealth()).toMatchObject({ head: nodeHead + 1, lastScannedBlock: nodeHead + 1 });
      await expectNothingRecorded(sent);

      // The chain moves on; the node, still lagging, now has the payments' blocks at their depth.
      await expectAllConfirmedOnce(sent, BEHIND + CONFIRMATIONS, nodeHead + 1 + CONFIRMATIONS);
      expect(till!.cursor()).toBe((await headOf(anvil)) - BEHIND);
    });

    it('falling behind after the scan reached the head: no block above its new head is taken as empty', async () => {
      await mine(anvil, 3);
      await start([faulty.url], { startBlock: (await headOf(anvil)) - 2 });
      await till!.caughtUp();
      const scanned = till!.cursor()!;
      // Its head goes back (a load-balanced provider answering from a stale node) below what was scanned.
      faulty.faults = { lagBlocks: BEHIND };
      const sent = await payTwoInvoices();
      const nodeHead = (await headOf(anvil)) - BEHIND;
      expect(nodeHead).toBeLessThan(scanned);
      const endpointHead = () => chainHealth().endpoints[0]!.head;
      await waitFor(() => endpointHead() === nodeHead, `the pool to see the node's head go back to ${nodeHead}`);
      await mine(anvil, 1);
      await waitFor(() => endpointHead() === nodeHead + 1, `the node's head ${nodeHead + 1}`);
      // Neither moved on (nothing seen above the head) nor walked back (a lagging node is no reorg).
      expect(till!.cursor()).toBe(scanned);
      await expectNothingRecorded(sent);

      faulty.faults = {};
      await expectAllConfirmedOnce(sent);
    });
  });

  describe('an endpoint on another fork, asked first', () => {
    it('from the start: no payment is recorded from its fork; once it is removed, every payment is found once', async () => {
      faulty.faults = { fakeBlockHashes: true };
      clean.faults = { delayMs: SLOWER_MS };
      await start([faulty.url, clean.url]);
      const sent = await payTwoInvoices();
      await mine(anvil, CONFIRMATIONS);
      // What a merchant sees: the chain cannot be scanned because its endpoints disagree.
      await waitFor(() => /disagree/.test(chainHealth().lastError ?? ''), 'the chain health to report the disagreement');
      await expectNothingRecorded(sent);

      // The remedy the health screen points to: remove the URL that serves another fork.
      const chain = till!.engine.store.chains.get(anvil.chainId)!;
      await till!.engine.invoke('chains.save', {
        chainId: chain.chainId,
        name: chain.name,
        rpcUrls: [clean.url],
        confirmations: chain.confirmations,
        pollIntervalMs: chain.pollIntervalMs,
        startBlock: chain.startBlock ?? undefined,
        tokens: chain.tokens,
      });
      await expectAllConfirmedOnce(sent, 0);
    });

    it('after payments were recorded: no reorg is taken from it, the payments confirm where they are', async () => {
      clean.faults = { delayMs: SLOWER_MS };
      await start([faulty.url, clean.url]);
      const sent = await payTwoInvoices();
      for (const { invoiceId } of sent) await till!.until(invoiceId, (i) => i.payments.length > 0, 'the payment recorded');
      await till!.caughtUp();
      faulty.faults = { fakeBlockHashes: true };
      await mine(anvil, 1);
      await waitFor(
        () => /another fork/.test(endpointHealth(faulty.url).lastError ?? ''),
        'the chain health to flag the endpoint',
        15_000,
      );
      await expectAllConfirmedOnce(sent, CONFIRMATIONS - 1);
      expect(till!.payments().filter((row) => row.status === 'orphaned')).toEqual([]);
    });

    it('while the other endpoint cannot serve blocks: its word alone undoes no payment', async () => {
      const clock = adjustableClock();
      clean.faults = { delayMs: SLOWER_MS };
      await start([faulty.url, clean.url], { clock });
      const sent = await payTwoInvoices();
      for (const { invoiceId } of sent) await till!.until(invoiceId, (i) => i.payments.length > 0, 'the payment recorded');
      await till!.caughtUp();
      const scanned = till!.cursor()!;
      const recorded = till!.payments();
      // The fork-serving endpoint is now the only one that answers block reads.
      faulty.faults = { fakeBlockHashes: true };
      clean.faults = { delayMs: SLOWER_MS, status: 500, failMethods: ['eth_getBlockByNumber', 'ots_getBlockDetails'] };
      await mine(anvil, 1);
      await waitFor(
        () => /confirm/.test(chainHealth().lastError ?? ''),
        'the chain health to say a second endpoint must confirm',
        15_000,
      );
      expect(till!.cursor()).toBe(scanned);
      expect(till!.payments()).toEqual(recorded);
      for (const { invoiceId } of sent) expect(till!.eventTypes(invoiceId)).not.toContain('invoice.reverted');
      expect(await till!.alerts('deep_reorg')).toEqual([]);

      clean.faults = { delayMs: SLOWER_MS };
      // Past its circuit breaker's cooldown (its failures may have opened it), so it is asked again.
      clock.advance(BREAKER_MAX_COOLDOWN_MS);
      await expectAllConfirmedOnce(sent, CONFIRMATIONS - 1);
      expect(endpointHealth(faulty.url).lastError).toMatch(/another fork/);
    });
  });
});
