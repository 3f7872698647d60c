import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { parseEther, parseUnits, type Address } from 'viem';
import type { SweepPage, SweepPlan } from '../src/shared/sweeps.ts';
import { startAnvil, type Anvil } from './fixtures/anvil.ts';
import { clients, mine, tokenBalance } from './fixtures/chain-actions.ts';
import { tempDataDir } from './fixtures/engine.ts';
import { startSweepHarness, TEST_GAS_ACCOUNT, type SweepHarness } from './fixtures/sweep-harness.ts';
import { runTill } from './fixtures/till-serve.ts';

/** `till sweeps …` and `till gas show` against a data folder no other Till process uses. */
describe('till sweeps / till gas (anvil, Prague)', () => {
  const data = tempDataDir('till-cli-sweeps-');
  let anvil: Anvil;
  let till: SweepHarness;
  const invoices: { id: string; address: Address; token: 'native' | 'USDC' | 'USDT'; amount: string }[] = [];

  beforeAll(async () => {
    anvil = await startAnvil({ hardfork: 'prague' });
    // Paused: the policy sweeps nothing, so what the CLI sends is all there is.
    till = await startSweepHarness(anvil, { dataDir: data.dir, sweep: { paused: true } });
    for (const [token, amount] of [
      ['native', '0.3'],
      ['USDC', '12.5'],
      ['USDT', '7'],
    ] as const) {
      const invoice = await till.create(token, amount);
      await till.pay(invoice);
      await till.confirm(invoice);
      invoices.push({ id: invoice.id, address: invoice.address as Address, token, amount });
    }
    // The engine stops: the commands below open the data folder on their own.
    await till.stop();
  });
  afterAll(async () => {
    await till?.close();
    await anvil?.stop();
    data.cleanup();
  });

  const db = () => new BetterSqlite3(join(data.dir, 'till.db'), { readonly: true });
  const sweepCount = () => (db().prepare('SELECT COUNT(*) AS n FROM sweeps').get() as { n: number }).n;

  it('plan shows every deposit and its cost; run without --yes and without a terminal refuses and sends nothing', async () => {
    const plan = await runTill(data.dir, ['sweeps', 'plan', '--all']);
    expect(plan.code, plan.stderr).toBe(0);
    for (const invoice of invoices) expect(plan.stdout.toLowerCase()).toContain(invoice.address.toLowerCase());
    expect(plan.stdout).toContain('ready (operator): native 0.3 ETH');
    const json = JSON.parse((await runTill(data.dir, ['sweeps', 'plan', '--all', '--json'])).stdout) as SweepPlan[];
    expect(json[0]!.sweeps.map((s) => [s.kind, s.token.symbol, s.value]).sort()).toEqual([
      ['eip7702', 'USDC', '12.5'],
      ['eip7702', 'USDT', '7'],
      ['native', 'ETH', '0.3'],
    ]);
    // Paused, without --all: the policy's view, where nothing goes by itself.
    expect((await runTill(data.dir, ['sweeps', 'plan'])).stdout).toContain('waits');

    const refused = await runTill(data.dir, ['sweeps', 'run']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('CONFIRMATION_REQUIRED');
    expect(refused.stderr).toContain('--yes');
    expect(sweepCount()).toBe(0);
  });

  it('run --yes sweeps everything, waits until final and settles every invoice; list and show tell what it cost', async () => {
    // Blocks keep coming while the command waits for the confirmation depth.
    const miner = setInterval(() => void mine(anvil, 1).catch(() => undefined), 300);
    let run;
    try {
      run = await runTill(data.dir, ['sweeps', 'run', '--yes']);
    } finally {
      clearInterval(miner);
    }
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(run.stdout).toContain('Waiting until every sweep is final');
    expect(run.stdout).toContain('Done.');
    expect(run.stdout).toMatch(/swp_\w+ {2}deploy .* final/);

    const list = JSON.parse((await runTill(data.dir, ['sweeps', 'list', '--json'])).stdout) as SweepPage;
    expect(list.items.every((s) => s.status === 'final')).toBe(true);
    expect(list.items.map((s) => s.kind).sort()).toEqual(['deploy', 'eip7702', 'eip7702', 'native']);
    const table = await runTill(data.dir, ['sweeps', 'list', '--status', 'final']);
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+CREATED\s+CHAIN\s+KIND\s+AMOUNT/);

    const { public: client } = clients(anvil);
    const native = list.items.find((s) => s.kind === 'native')!;
    const receipt = await client.getTransactionReceipt({ hash: native.txHash as `0x${string}` });
    expect(native.gasUsed).toBe(Number(receipt.gasUsed));
    expect(await till.treasuryBalance('native')).toBe(parseEther('0.3') - receipt.gasUsed * receipt.effectiveGasPrice);
    expect(await tokenBalance(anvil, till.tokens.usdc, till.treasury)).toBe(parseUnits('12.5', 6));
    expect(await tokenBalance(anvil, till.tokens.usdt, till.treasury)).toBe(parseUnits('7', 6));
    const statuses = db()
      .prepare(`SELECT status FROM invoices WHERE id IN (${invoices.map(() => '?').join(',')})`)
      .pluck()
      .all(...invoices.map((i) => i.id));
    expect(statuses).toEqual(['settled', 'settled', 'settled']);

    const show = await runTill(data.dir, ['sweeps', 'show', native.id]);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain(`native from ${invoices[0]!.address.toLowerCase()}`);
    expect(show.stdout).toContain(`#1 ${native.txHash}`);
    expect(show.stdout).toContain(`gas ${receipt.gasUsed}`);

    // Nothing is left: a second run says so and sends nothing.
    const again = await runTill(data.dir, ['sweeps', 'run', '--yes']);
    expect(again.stdout).toContain('Nothing is ready to sweep.');
    expect(sweepCount()).toBe(4);
  });

  it('show of an unknown sweep and bump of a final one fail with their code', async () => {
    const missing = await runTill(data.dir, ['sweeps', 'show', 'swp_NOPE']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('SWEEP_NOT_FOUND');
    const final = (JSON.parse((await runTill(data.dir, ['sweeps', 'list', '--json'])).stdout) as SweepPage).items[0]!;
    const bump = await runTill(data.dir, ['sweeps', 'bump', final.id]);
    expect(bump.code).toBe(2);
    expect(bump.stderr).toContain('SWEEP_STATE_CONFLICT');
  });

  it('pause and resume a chain; gas show prints the gas account, its balance and a QR code to fund it', async () => {
    expect((await runTill(data.dir, ['sweeps', 'resume', '--chain-id', String(anvil.chainId)])).stdout).toContain('resumed');
    expect(db().prepare('SELECT paused FROM sweep_settings').pluck().get()).toBe(0);
    expect((await runTill(data.dir, ['sweeps', 'pause', '--chain-id', String(anvil.chainId)])).stdout).toContain('paused');
    expect(db().prepare('SELECT paused FROM sweep_settings').pluck().get()).toBe(1);
    const unknown = await runTill(data.dir, ['sweeps', 'pause', '--chain-id', '999']);
    expect(unknown.stderr).toContain('CHAIN_NOT_FOUND');

    const gas = await runTill(data.dir, ['gas', 'show', '--chain-id', String(anvil.chainId)]);
    expect(gas.code, gas.stderr).toBe(0);
    expect(gas.stdout).toContain(`Gas account: ${TEST_GAS_ACCOUNT}`);
    expect(gas.stdout).toContain(`Fund it: ethereum:${TEST_GAS_ACCOUNT}@${anvil.chainId}`);
    expect(gas.stdout).toMatch(/Anvil \(31337\): 9\.99\d* ETH, pays for about \d+ sweeps/);
    // The QR code: rows of block characters.
    const qrRows = gas.stdout.split('\n').filter((line) => (line.match(/[█▀▄]/g) ?? []).length >= 15);
    expect(qrRows.length).toBeGreaterThan(10);
  });
});
