// npm run bench:sweep — gas per swept deposit, from receipts on anvil, through a real engine
// (test/fixtures/sweep-harness.ts: scanner, sweeper, SQLite, keystore). Prints figures; asserts
// nothing (see docs/BENCHMARKS.md):
// 1. EIP-7702 batches (anvil, Prague): the sweeper contract's deployment, then for each batch size
//    a first sweep (invoices paid, "Sweep now"; every deposit signs an authorization) and a later
//    sweep of the same addresses (funds sent again, found by recover.scan, swept by recover.sweep;
//    the deposits already delegate, so the transaction carries no authorization);
// 2. top-up and native sweeps (anvil, Cancun: no EIP-7702, so Till falls back to top-ups);
// 3. next to them, from the same chains: a bare ERC-20 `transfer` of a funded EOA's whole balance,
//    to a treasury that already holds the token and to an address that holds none;
// 4. the pure planner on 10,000 synthetic sweepable deposits, next to sorting the same deposits.
// Every measured sweep goes to a treasury that already holds the token: a warm-up deposit is swept
// first on each chain, so the first-ever transfer's fresh storage slot is reported on its own.
// Knobs: BENCH_BATCHES=1,10,20,50, BENCH_TOPUPS (default 5), BENCH_PLAN_DEPOSITS, BENCH_PLAN_RUNS.
import { cpus, platform, release, totalmem } from 'node:os';
import { encodeFunctionData, parseEther, type Address, type Hash } from 'viem';
import { generateMnemonic } from '@scure/bip39';
import { wordlist as english } from '@scure/bip39/wordlists/english.js';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import type { Invoice } from '../src/shared/domain.ts';
import type { SweepDetail } from '../src/shared/sweeps.ts';
import { NATIVE } from '../src/main/engine/db/repositories/sweep-deposits-repo.ts';
import { DEFAULT_GAS_MODEL, planSweeps, type PlannerDeposit } from '../src/main/engine/sweeper/planner.ts';
import { startAnvil, type Anvil } from '../test/fixtures/anvil.ts';
import { clients, mintToken, testTokenAbi, tokenBalance } from '../test/fixtures/chain-actions.ts';
import { waitFor } from '../test/fixtures/ports.ts';
import { freshAddress, startSweepHarness, type SweepHarness } from '../test/fixtures/sweep-harness.ts';
import { FIRST_DEPOSIT_INDEX } from '../test/fixtures/detection-harness.ts';
import { hex } from './support/json-rpc.ts';

const BATCHES = (process.env.BENCH_BATCHES ?? '1,10,20,50').split(',').map(Number);
const TOPUPS = Number(process.env.BENCH_TOPUPS ?? 5);
const PLAN_DEPOSITS = Number(process.env.BENCH_PLAN_DEPOSITS ?? 10_000);
const PLAN_RUNS = Number(process.env.BENCH_PLAN_RUNS ?? 51);
const TARGET_BATCH_GAS = 30_000;
const TARGET_TOPUP_RATIO = 0.45;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** gasUsed of a mined transaction, from its receipt (never an estimate). */
async function gasUsed(anvil: Anvil, hash: string): Promise<number> {
  const receipt = await clients(anvil).public.getTransactionReceipt({ hash: hash as Hash });
  if (receipt.status !== 'success') throw new Error(`transaction ${hash} reverted`);
  return Number(receipt.gasUsed);
}

/** Polls `check` until it returns a value; unlike test/fixtures' waitFor, a thrown error ends the wait at once. */
async function until<T>(check: () => Promise<T | undefined>, what: string, deadlineMs = 120_000): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Pays every invoice in full and mines until the real scanner has confirmed them all. */
async function payAndConfirm(till: SweepHarness, invoices: Invoice[]): Promise<void> {
  for (const invoice of invoices) await till.pay(invoice);
  await waitFor(
    async () => {
      const now = await Promise.all(invoices.map((invoice) => till.invoice(invoice.id)));
      if (now.every((invoice) => invoice.status === 'confirmed')) return true;
      await till.mine(1);
      return false;
    },
    `${invoices.length} invoices confirmed`,
    120_000,
  );
}

/** Mines until the sweep is final (its invoices settled); throws if it failed or was dropped. */
async function untilFinal(till: SweepHarness, id: string): Promise<SweepDetail> {
  return until(async () => {
    const detail = await till.engine.invoke('sweeps.get', { id });
    if (detail.status === 'failed' || detail.status === 'dropped')
      throw new Error(`sweep ${id} ${detail.status}: ${detail.error}`);
    if (detail.status === 'final') return detail;
    await till.mine(1);
    return undefined;
  }, `sweep ${id} final`);
}

/**
 * "Sweep now" and mine until every invoice is settled; returns the final sweeps that moved them.
 * The sweeps are looked up by their items rather than taken from what sweeps.run answered: a step
 * may send the sweeper's deployment first and the batch at a later step of the loop.
 */
async function sweepNow(till: SweepHarness, invoices: Invoice[]): Promise<SweepDetail[]> {
  const ids = new Set(invoices.map((invoice) => invoice.id));
  await until(async () => {
    await till.engine.invoke('sweeps.run', { chainId: till.chainId });
    const now = await Promise.all(invoices.map((invoice) => till.invoice(invoice.id)));
    if (now.every((invoice) => invoice.status === 'settled')) return true;
    await till.mine(1);
    return undefined;
  }, `${invoices.length} invoices settled`);
  const sweeps = (await till.sweeps()).filter((s) => s.items.some((item) => item.invoiceId && ids.has(item.invoiceId)));
  return Promise.all(sweeps.map((s) => untilFinal(till, s.id)));
}

/** The sweeper deployment of this chain (there is one per chain and treasury). */
async function deploySweep(till: SweepHarness): Promise<SweepDetail> {
  const deploy = (await till.sweeps()).find((s) => s.kind === 'deploy');
  if (!deploy) throw new Error('no deploy sweep');
  return untilFinal(till, deploy.id);
}

async function createInvoices(till: SweepHarness, token: 'USDC' | 'native', count: number): Promise<Invoice[]> {
  const out: Invoice[] = [];
  for (let i = 0; i < count; i++) out.push(await till.create(token, token === 'native' ? '0.5' : `${i + 1}.25`));
  return out;
}

/**
 * A bare `transfer` of an EOA's whole token balance (what a per-address sweep does at the least):
 * a fresh key funded with 1 ETH and `amount` of the token, signed locally.
 */
async function bareTransfer(anvil: Anvil, token: Address, to: Address, amount: bigint): Promise<number> {
  const account = privateKeyToAccount(generatePrivateKey());
  await anvil.rpc('anvil_setBalance', [account.address, hex(parseEther('1'))]);
  await mintToken(anvil, token, account.address, amount);
  const { public: client, wallet } = clients(anvil);
  const hash = await wallet.sendTransaction({
    account,
    to: token,
    data: encodeFunctionData({ abi: testTokenAbi, functionName: 'transfer', args: [to, amount] }),
    chain: client.chain,
  });
  await client.waitForTransactionReceipt({ hash });
  return gasUsed(anvil, hash);
}

interface BatchFigures {
  size: number;
  first: number;
  later: number;
  firstAuthorizations: number;
  laterAuthorizations: number;
}

interface Eip7702Figures {
  deploy: number;
  warmup: number;
  batches: BatchFigures[];
  bareHeld: number;
  bareEmpty: number;
}

async function batchGasOf(anvil: Anvil, sweep: SweepDetail): Promise<{ gas: number; authorizations: number }> {
  const hash = sweep.txs.find((tx) => tx.role === 'batch')!.hash!;
  const tx = await clients(anvil).public.getTransaction({ hash: hash as Hash });
  return { gas: await gasUsed(anvil, hash), authorizations: tx.authorizationList?.length ?? 0 };
}

async function eip7702(): Promise<Eip7702Figures> {
  const anvil = await startAnvil({ hardfork: 'prague' });
  // Not the test mnemonic: its first addresses are anvil's funded accounts, which recover.scan would
  // find and recover.sweep would empty.
  const till = await startSweepHarness(anvil, {
    sweep: { batchSize: 1 },
    gas: parseEther('100'),
    mnemonic: generateMnemonic(english),
  });
  try {
    let t0 = performance.now();
    // Warm-up: the first sweep deploys the sweeper, and its transfer creates the treasury's balance slot.
    const [warm] = await createInvoices(till, 'USDC', 1);
    await payAndConfirm(till, [warm!]);
    const first = await sweepNow(till, [warm!]);
    const deploy = await gasUsed(anvil, (await deploySweep(till)).txs[0]!.hash!);
    const warmup = (
      await batchGasOf(
        anvil,
        first.find((s) => s.kind === 'eip7702')!,
      )
    ).gas;
    console.log(
      `eip7702: sweeper deployed (${fmt(deploy)} gas), warm-up batch of 1 to an empty treasury ${fmt(warmup)} gas, ${seconds(performance.now() - t0)}`,
    );

    const batches: BatchFigures[] = [];
    for (const size of BATCHES) {
      t0 = performance.now();
      await till.settings({ batchSize: size });
      const invoices = await createInvoices(till, 'USDC', size);
      await payAndConfirm(till, invoices);
      const [firstSweep] = await sweepNow(till, invoices);
      if (firstSweep!.deposits !== size) throw new Error(`batch of ${firstSweep!.deposits}, expected ${size}`);
      const firstGas = await batchGasOf(anvil, firstSweep!);

      // The same addresses funded again: they already delegate to the sweeper.
      for (const invoice of invoices) await till.pay(invoice);
      // The harness starts deposits at index FIRST_DEPOSIT_INDEX (20): the gap must span the unused 0–19.
      const scan = await till.engine.invoke('recover.scan', { chainId: till.chainId, gap: FIRST_DEPOSIT_INDEX + 5 });
      if (scan.found.length !== size) throw new Error(`recover.scan found ${scan.found.length}, expected ${size}`);
      const run = await till.engine.invoke('recover.sweep', { chainId: till.chainId });
      const batch = run.sweeps.find((s) => s.kind === 'eip7702');
      if (!batch || batch.deposits !== size) throw new Error(`recover.sweep: ${JSON.stringify(run.sweeps)}`);
      const laterGas = await batchGasOf(anvil, await untilFinal(till, batch.id));
      for (const invoice of invoices)
        if ((await tokenBalance(anvil, till.tokens.usdc, invoice.address as Address)) !== 0n)
          throw new Error(`${invoice.address} not emptied`);
      batches.push({
        size,
        first: firstGas.gas / size,
        later: laterGas.gas / size,
        firstAuthorizations: firstGas.authorizations,
        laterAuthorizations: laterGas.authorizations,
      });
      console.log(
        `eip7702 batch of ${size}: first ${fmt(firstGas.gas)} gas (${firstGas.authorizations} authorizations) = ${fmt(firstGas.gas / size)}/deposit; later ${fmt(laterGas.gas)} gas (${laterGas.authorizations} authorizations) = ${fmt(laterGas.gas / size)}/deposit; ${seconds(performance.now() - t0)}`,
      );
    }

    const bareHeld = await bareTransfer(anvil, till.tokens.usdc, till.treasury, 1_250_000n);
    const bareEmpty = await bareTransfer(anvil, till.tokens.usdc, freshAddress(), 1_250_000n);
    console.log(`bare ERC-20 transfer (Prague): to the treasury ${fmt(bareHeld)} gas, to an empty address ${fmt(bareEmpty)} gas`);
    return { deploy, warmup, batches, bareHeld, bareEmpty };
  } finally {
    await till.close();
    await anvil.stop();
  }
}

interface TopupFigures {
  /** Per deposit: the gas account's top-up + the deposit's transfer, to a treasury holding the token. */
  perDeposit: number[];
  topup: number[];
  transfer: number[];
  warmup: number;
  native: number[];
  bareHeld: number;
  bareEmpty: number;
}

async function topupAndNative(): Promise<TopupFigures> {
  const anvil = await startAnvil({ hardfork: 'cancun' });
  const till = await startSweepHarness(anvil, { gas: parseEther('100') });
  try {
    const t0 = performance.now();
    const topupGas = async (sweep: SweepDetail) => {
      const [topup, transfer] = await Promise.all(
        ['topup', 'transfer'].map((role) => gasUsed(anvil, sweep.txs.find((tx) => tx.role === role)!.hash!)),
      );
      return { topup: topup!, transfer: transfer! };
    };
    const [warm] = await createInvoices(till, 'USDC', 1);
    await payAndConfirm(till, [warm!]);
    const warmGas = await topupGas((await sweepNow(till, [warm!])).find((s) => s.kind === 'topup')!);

    const invoices = await createInvoices(till, 'USDC', TOPUPS);
    await payAndConfirm(till, invoices);
    const sweeps = (await sweepNow(till, invoices)).filter((s) => s.kind === 'topup');
    if (sweeps.length !== TOPUPS) throw new Error(`${sweeps.length} top-up sweeps, expected ${TOPUPS}`);
    const measured = await Promise.all(sweeps.map(topupGas));

    const natives = await createInvoices(till, 'native', 3);
    await payAndConfirm(till, natives);
    const nativeSweeps = (await sweepNow(till, natives)).filter((s) => s.kind === 'native');
    const native = await Promise.all(nativeSweeps.map((s) => gasUsed(anvil, s.txs[0]!.hash!)));

    const bareHeld = await bareTransfer(anvil, till.tokens.usdc, till.treasury, 1_250_000n);
    const bareEmpty = await bareTransfer(anvil, till.tokens.usdc, freshAddress(), 1_250_000n);
    console.log(
      `top-up (Cancun): warm-up to an empty treasury ${fmt(warmGas.topup)} + ${fmt(warmGas.transfer)} gas; ${TOPUPS} deposits: top-up ${measured.map((m) => fmt(m.topup)).join(', ')}, transfer ${measured.map((m) => fmt(m.transfer)).join(', ')}; native ${native.map((n) => fmt(n)).join(', ')}; bare transfer ${fmt(bareHeld)} / ${fmt(bareEmpty)}; ${seconds(performance.now() - t0)}`,
    );
    return {
      perDeposit: measured.map((m) => m.topup + m.transfer),
      topup: measured.map((m) => m.topup),
      transfer: measured.map((m) => m.transfer),
      warmup: warmGas.topup + warmGas.transfer,
      native,
      bareHeld,
      bareEmpty,
    };
  } finally {
    await till.close();
    await anvil.stop();
  }
}

/** Synthetic sweepable deposits: 80 % across two tokens, 20 % native, a quarter already delegated. */
function syntheticDeposits(count: number): PlannerDeposit[] {
  const tokens = ['0x' + 'a'.repeat(40), '0x' + 'b'.repeat(40)];
  const now = Date.now();
  return Array.from({ length: count }, (_, i) => ({
    address: `0x${i.toString(16).padStart(40, '0')}`,
    derivationIndex: i,
    token: i % 5 === 0 ? NATIVE : tokens[i % 2]!,
    // Native amounts in wei (0.001–0.1 ETH), token ones in 6-decimal units (1–100 tokens).
    amount: BigInt(1_000_000 + ((i * 7919) % 100_000_000)) * (i % 5 === 0 ? 10n ** 9n : 1n),
    since: now - ((i * 104_729) % 86_400_000),
    invoiceId: `inv_${i}`,
    reason: 'invoice paid',
    delegated: i % 4 === 0,
  }));
}

function planner(): { eip7702: number[]; topup: number[]; sort: number[]; ready: number } {
  const deposits = syntheticDeposits(PLAN_DEPOSITS);
  const plan = (strategy: 'eip7702' | 'topup') =>
    planSweeps({
      erc20Strategy: strategy,
      deposits,
      fees: { gasPrice: 1_000_000_000n, l1FeePerTx: 0n },
      settings: { maxFeeShareBps: 100, maxAgeSeconds: 86_400, batchSize: 20, minAmounts: {} },
      gas: DEFAULT_GAS_MODEL,
      now: Date.now(),
      force: 'operator',
      // 1 token unit (6 decimals) ≈ 0.0004 ETH: a price for every deposit, so the fee rule is worked too.
      valueInNative: (_token, amount) => amount * 400_000_000n,
    });
  const times = { eip7702: [] as number[], topup: [] as number[], sort: [] as number[], ready: 0 };
  for (let run = 0; run < PLAN_RUNS; run++) {
    let t0 = performance.now();
    const result = plan('eip7702');
    times.eip7702.push(performance.now() - t0);
    times.ready = result.ready.reduce((sum, b) => sum + b.items.length, 0);
    t0 = performance.now();
    plan('topup');
    times.topup.push(performance.now() - t0);
    // Baseline: the one sort any planner needs, of the same deposits by value.
    t0 = performance.now();
    [...deposits].sort((a, b) => (a.amount < b.amount ? -1 : a.amount > b.amount ? 1 : 0));
    times.sort.push(performance.now() - t0);
  }
  return times;
}

async function main() {
  const started = performance.now();
  const machine = `${cpus().length} × ${cpus()[0]?.model?.trim()}, ${fmt(totalmem() / 2 ** 30)} GiB, ${platform()} ${release()}, node ${process.version}`;
  console.log(`machine: ${machine}`);
  const plan = planner();
  const e = await eip7702();
  const t = await topupAndNative();

  const topup = median(t.perDeposit);
  const row = (what: string, gas: string, perDeposit: number | null, note = '') =>
    `  ${what.padEnd(34)} ${gas.padStart(12)} ${perDeposit === null ? ''.padStart(10) : fmt(perDeposit).padStart(10)} ${perDeposit === null ? ''.padStart(8) : (perDeposit / topup).toFixed(3).padStart(8)}  ${note}`;
  console.log('');
  console.log('=== bench:sweep summary ===');
  console.log(`machine: ${machine}, ${new Date().toISOString().slice(0, 10)}`);
  console.log(`gas from receipts on anvil 1.7 (Prague for EIP-7702, Cancun for top-up and native); USDC = test ERC-20`);
  console.log(`  ${'sweep'.padEnd(34)} ${'tx gas'.padStart(12)} ${'/ deposit'.padStart(10)} ${'× top-up'.padStart(8)}`);
  console.log(row('native (Cancun)', fmt(median(t.native)), median(t.native)));
  console.log(
    row(
      `ERC-20 by top-up, median of ${TOPUPS}`,
      `${fmt(median(t.topup))} + ${fmt(median(t.transfer))}`,
      topup,
      `(to an empty treasury: ${fmt(t.warmup)})`,
    ),
  );
  for (const b of e.batches) {
    console.log(
      row(`EIP-7702 batch of ${b.size}, first sweep`, fmt(b.first * b.size), b.first, `${b.firstAuthorizations} authorizations`),
    );
    console.log(
      row(`EIP-7702 batch of ${b.size}, later sweep`, fmt(b.later * b.size), b.later, `${b.laterAuthorizations} authorizations`),
    );
  }
  console.log(row('bare ERC-20 transfer, Prague', fmt(e.bareHeld), e.bareHeld, `to an empty address: ${fmt(e.bareEmpty)}`));
  console.log(row('bare ERC-20 transfer, Cancun', fmt(t.bareHeld), t.bareHeld, `to an empty address: ${fmt(t.bareEmpty)}`));
  console.log(
    `  sweeper contract deployment ${fmt(e.deploy)} gas (once per chain and treasury); warm-up batch of 1 to an empty treasury ${fmt(e.warmup)}`,
  );

  const b20 = e.batches.find((b) => b.size === 20);
  if (b20) {
    const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
    console.log('targets (issue 12), batch of 20:');
    console.log(
      `  first sweep ${fmt(b20.first)} gas/deposit vs ≤ ${fmt(TARGET_BATCH_GAS)}: ${verdict(b20.first <= TARGET_BATCH_GAS)}; later ${fmt(b20.later)}: ${verdict(b20.later <= TARGET_BATCH_GAS)}`,
    );
    console.log(
      `  × top-up: first ${(b20.first / topup).toFixed(3)}, later ${(b20.later / topup).toFixed(3)} vs ≤ ${TARGET_TOPUP_RATIO}: first ${verdict(b20.first / topup <= TARGET_TOPUP_RATIO)}, later ${verdict(b20.later / topup <= TARGET_TOPUP_RATIO)}`,
    );
    console.log(
      `  first sweep above the later one by ${fmt(b20.first - b20.later)} gas/deposit. Each authorization tuple is charged 25,000 (EIP-7702 PER_EMPTY_ACCOUNT_COST; 12,500 of it refunded only when the account exists, and a deposit holding only tokens is empty), more than 0.45 × top-up = ${fmt(TARGET_TOPUP_RATIO * topup)}: no first sweep can meet that ratio`,
    );
  }
  const planMs = median(plan.eip7702);
  const sortMs = median(plan.sort);
  console.log(
    `planner, ${fmt(PLAN_DEPOSITS)} sweepable deposits (${fmt(plan.ready)} planned ready), median of ${PLAN_RUNS}: EIP-7702 ${planMs.toFixed(2)} ms, top-up ${median(plan.topup).toFixed(2)} ms; sort by value ${sortMs.toFixed(2)} ms; ratio ${(planMs / sortMs).toFixed(1)} (target < 1 s: ${planMs < 1000 ? 'met' : 'NOT met'})`,
  );
  console.log(`total run time ${seconds(performance.now() - started)}`);
}

await main();
