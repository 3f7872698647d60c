import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseUnits, type Address } from 'viem';
import type { Invoice } from '../src/shared/domain.ts';
import { startAnvil, type Anvil } from './fixtures/anvil.ts';
import { clients, mine, mintToken, setAutomine, tokenBalance } from './fixtures/chain-actions.ts';
import { startSweepHarness, TEST_GAS_ACCOUNT, type SweepHarness } from './fixtures/sweep-harness.ts';
import { waitFor } from './fixtures/ports.ts';

/** Pays every invoice (mints its amount to its address) and waits until each is confirmed. */
async function payAll(till: SweepHarness, invoices: Invoice[]) {
  for (const invoice of invoices) await till.pay(invoice);
  await waitFor(
    async () => {
      const all = await Promise.all(invoices.map((invoice) => till.invoice(invoice.id)));
      if (all.every((invoice) => invoice.status === 'confirmed')) return true;
      await till.mine(1);
      return false;
    },
    'every invoice confirmed',
    60_000,
  );
}

/** Mines until every invoice is settled. */
async function settleAll(till: SweepHarness, invoices: Invoice[]): Promise<Invoice[]> {
  return waitFor(
    async () => {
      const all = await Promise.all(invoices.map((invoice) => till.invoice(invoice.id)));
      if (all.every((invoice) => invoice.status === 'settled')) return all;
      await till.mine(1);
      return undefined;
    },
    'every invoice settled',
    60_000,
  );
}

describe('ERC-20 sweeps by EIP-7702 batch (anvil, Prague)', () => {
  let anvil: Anvil;
  let till: SweepHarness;
  beforeAll(async () => {
    anvil = await startAnvil({ hardfork: 'prague' });
    till = await startSweepHarness(anvil, { sweep: { batchSize: 20 } });
  });
  afterAll(async () => {
    await till?.close();
    await anvil?.stop();
  });

  it('detects type-4 support and deploys the sweeper once; one batch settles a single deposit', async () => {
    const [invoice] = [await till.create('USDC', '12.5')];
    await payAll(till, [invoice!]);
    // USDC has no price in ETH here: the policy waits (24 h) — "Sweep now" sends it.
    const plan = await till.engine.invoke('sweeps.plan', { chainId: till.chainId });
    expect(plan[0]!.sweeps.map((s) => [s.kind, s.trigger])).toEqual([['eip7702', null]]);
    expect(plan[0]!.notes.join(' ')).toContain('deploys Till’s sweeper contract');
    const run = await till.engine.invoke('sweeps.run', { chainId: till.chainId });
    expect(run.mode).toBe('sent');
    expect(run.sweeps.map((s) => s.kind).sort()).toEqual(['deploy']);
    const [settled] = await waitFor(
      async () => {
        await till.engine.invoke('sweeps.run', { chainId: till.chainId }).catch(() => undefined);
        await till.mine(1);
        const now = await till.invoice(invoice!.id);
        return now.status === 'settled' ? [now] : undefined;
      },
      'the single deposit settled',
      50_000,
    );
    expect(settled!.sweep).not.toBeNull();
    expect(await till.treasuryBalance(till.tokens.usdc)).toBe(parseUnits('12.5', 6));
    const overview = await till.engine.invoke('sweeps.overview', {});
    expect(overview.chains[0]!.strategy).toMatchObject({ effective: 'eip7702', eip7702Supported: true });
    expect(overview.chains[0]!.sweeperContract?.status).toBe('ready');
    // The deposit now delegates to the sweeper (EIP-7702 designator 0xef0100 ‖ address).
    const code = await clients(anvil).public.getCode({ address: invoice!.address as Address });
    expect(code).toBe(`0xef0100${overview.chains[0]!.sweeperContract!.address.slice(2)}`);
  });

  it('batches of 20 and 50 with a token that returns no bool: exact amounts reach the treasury, every invoice settles', async () => {
    for (const [size, token] of [
      [20, 'USDC'],
      [50, 'USDT'],
    ] as const) {
      await till.settings({ batchSize: size });
      const invoices: Invoice[] = [];
      for (let i = 0; i < size; i++) invoices.push(await till.create(token, `${i + 1}.25`));
      await payAll(till, invoices);
      const tokenAddress = token === 'USDC' ? till.tokens.usdc : till.tokens.usdt;
      const before = await till.treasuryBalance(tokenAddress);
      const run = await till.engine.invoke('sweeps.run', { chainId: till.chainId });
      expect(run.sweeps.map((s) => [s.kind, s.deposits])).toEqual([['eip7702', size]]);
      const settled = await settleAll(till, invoices);
      const total = invoices.reduce((sum, invoice) => sum + parseUnits(invoice.amount, 6), 0n);
      expect((await till.treasuryBalance(tokenAddress)) - before).toBe(total);
      // One transaction for the whole batch, from the gas account, with an authorization per deposit.
      const hashes = new Set(settled.map((invoice) => invoice.sweep!.txHash));
      expect(hashes.size).toBe(1);
      const tx = await clients(anvil).public.getTransaction({ hash: [...hashes][0] as `0x${string}` });
      expect(tx.from.toLowerCase()).toBe(TEST_GAS_ACCOUNT.toLowerCase());
      expect(tx.type).toBe('eip7702');
      expect(tx.authorizationList).toHaveLength(size);
      for (const invoice of settled) expect(await tokenBalance(anvil, tokenAddress, invoice.address as Address)).toBe(0n);
    }
  });

  it('a stale authorization does not revert the batch: the other deposits settle, the stale one is swept next time', async () => {
    await till.settings({ batchSize: 20 });
    const invoices: Invoice[] = [];
    for (let i = 0; i < 3; i++) invoices.push(await till.create('USDC', '3'));
    await payAll(till, invoices);
    await setAutomine(anvil, false);
    try {
      const run = await till.engine.invoke('sweeps.run', { chainId: till.chainId });
      expect(run.sweeps.map((s) => s.deposits)).toEqual([3]);
      // Between signing and mining, the second deposit's nonce moves: its tuple no longer applies.
      await anvil.rpc('anvil_setNonce', [invoices[1]!.address, '0x1']);
      await mine(anvil, 1);
    } finally {
      await setAutomine(anvil, true);
    }
    const receiptOf = async () => {
      const sweeps = await till.sweeps();
      const batch = sweeps.find((s) => s.kind === 'eip7702' && s.items.some((item) => item.invoiceId === invoices[0]!.id))!;
      return batch.txs[0]!.hash
        ? clients(anvil).public.getTransactionReceipt({ hash: batch.txs[0]!.hash as `0x${string}` })
        : undefined;
    };
    const receipt = await waitFor(receiptOf, 'the batch mined');
    expect(receipt.status).toBe('success');
    await till.until(invoices[0]!.id, (i) => i.status === 'settled' || (void till.mine(1), false), 'first settled');
    await till.until(invoices[2]!.id, (i) => i.status === 'settled' || (void till.mine(1), false), 'third settled');
    expect((await till.invoice(invoices[1]!.id)).status).toBe('confirmed');
    // The next sweep signs a fresh authorization with the deposit's current nonce.
    await waitFor(
      async () => {
        await till.engine.invoke('sweeps.run', { chainId: till.chainId });
        await till.mine(1);
        return (await till.invoice(invoices[1]!.id)).status === 'settled';
      },
      'the stale deposit settled by a later sweep',
      60_000,
    );
    expect(
      till.engine.store.sweepAuthorizations.get(
        till.chainId,
        invoices[1]!.address,
        (await till.engine.invoke('sweeps.overview', {})).chains[0]!.sweeperContract!.address,
        1,
      ),
    ).toBeDefined();
  });

  it('a second sweep of delegated deposits carries no authorization (funds found later by a recovery scan)', async () => {
    const earlier = (await till.engine.invoke('invoices.list', { status: 'settled', limit: 3 })).items;
    for (const invoice of earlier) await mintToken(anvil, till.tokens.usdc, invoice.address as Address, 1_000_000n);
    const scan = await till.engine.invoke('recover.scan', { chainId: till.chainId, gap: 15 });
    expect(scan.found.map((d) => d.address)).toEqual(expect.arrayContaining(earlier.map((i) => i.address.toLowerCase())));
    const run = await till.engine.invoke('recover.sweep', { chainId: till.chainId });
    const batch = run.sweeps.find((s) => s.kind === 'eip7702')!;
    const hash = await waitFor(async () => (await till.engine.invoke('sweeps.get', { id: batch.id })).txs[0]?.hash, 'signed');
    const tx = await waitFor(
      () =>
        clients(anvil)
          .public.getTransaction({ hash: hash as `0x${string}` })
          .catch(() => undefined),
      'sent',
    );
    expect(tx.type).toBe('eip1559');
    for (const invoice of earlier)
      await waitFor(
        async () =>
          (await tokenBalance(anvil, till.tokens.usdc, invoice.address as Address)) === 0n || (await till.mine(1), false),
        'swept',
      );
  });
});
