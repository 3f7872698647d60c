import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseUnits, type Address } from 'viem';
import type { Invoice } from '../src/shared/domain.ts';
import { startAnvil, type Anvil } from './fixtures/anvil.ts';
import { clients, nativeBalance, tokenBalance } from './fixtures/chain-actions.ts';
import { waitFor } from './fixtures/ports.ts';
import { startSweepHarness, TEST_GAS_ACCOUNT, type SweepHarness } from './fixtures/sweep-harness.ts';

describe('ERC-20 sweeps by gas top-up on a chain without EIP-7702 (anvil, Cancun)', () => {
  let anvil: Anvil;
  let till: SweepHarness;
  beforeAll(async () => {
    anvil = await startAnvil({ hardfork: 'cancun' });
    till = await startSweepHarness(anvil);
  });
  afterAll(async () => {
    await till?.close();
    await anvil?.stop();
  });

  it('tops up each deposit with the gas its transfer needs, sends the token, settles, and records the dust', async () => {
    const invoices: Invoice[] = [await till.create('USDC', '40'), await till.create('USDT', '7.5')];
    for (const invoice of invoices) await till.pay(invoice);
    for (const invoice of invoices) await till.confirm(invoice);
    const plan = await till.engine.invoke('sweeps.plan', { chainId: till.chainId, all: true });
    expect(plan[0]!.sweeps.map((s) => s.kind)).toEqual(['topup', 'topup']);
    expect(plan[0]!.notes.join(' ')).toContain('does not take EIP-7702 transactions');

    const run = await till.engine.invoke('sweeps.run', { chainId: till.chainId });
    expect(run.sweeps.map((s) => s.kind)).toEqual(['topup', 'topup']);
    const settled = await waitFor(
      async () => {
        const now = await Promise.all(invoices.map((invoice) => till.invoice(invoice.id)));
        if (now.every((invoice) => invoice.status === 'settled')) return now;
        await till.mine(1);
        return undefined;
      },
      'both invoices settled',
      60_000,
    );
    expect(await till.treasuryBalance(till.tokens.usdc)).toBe(parseUnits('40', 6));
    expect(await till.treasuryBalance(till.tokens.usdt)).toBe(parseUnits('7.5', 6));

    const overview = await till.engine.invoke('sweeps.overview', {});
    expect(overview.chains[0]!.strategy).toMatchObject({ effective: 'topup', eip7702Supported: false });
    expect(overview.chains[0]!.sweeperContract).toBeNull();

    const { public: client } = clients(anvil);
    for (const invoice of settled) {
      const detail = (await till.sweeps()).find((s) => s.items.some((item) => item.invoiceId === invoice.id))!;
      // Two transactions: the gas account's top-up, then the deposit's own token transfer.
      expect(detail.txs.map((tx) => [tx.role, tx.from])).toEqual([
        ['topup', TEST_GAS_ACCOUNT.toLowerCase()],
        ['transfer', invoice.address.toLowerCase()],
      ]);
      const topup = await client.getTransaction({ hash: detail.txs[0]!.hash as `0x${string}` });
      const transfer = await client.getTransactionReceipt({ hash: detail.txs[1]!.hash as `0x${string}` });
      // Its cost is both receipts' fees; what the top-up gave beyond the transfer's fee stays as dust.
      const topupReceipt = await client.getTransactionReceipt({ hash: topup.hash });
      const cost = topupReceipt.gasUsed * topupReceipt.effectiveGasPrice + transfer.gasUsed * transfer.effectiveGasPrice;
      expect(parseUnits(detail.fee!, 18)).toBe(cost);
      expect(parseUnits(invoice.sweep!.gasCost, 18)).toBe(cost);
      const dust = topup.value - transfer.gasUsed * transfer.effectiveGasPrice;
      expect(dust).toBeGreaterThan(0n);
      expect(await nativeBalance(anvil, invoice.address as Address)).toBe(dust);
      expect(await tokenBalance(anvil, invoice.token.address as Address, invoice.address as Address)).toBe(0n);
      // The dust is recorded on the deposit, waiting for a native sweep that is worth it.
      await waitFor(
        () => till.engine.store.sweepDeposits.get(till.chainId, invoice.address, 'native')?.balance === dust,
        'the dust recorded',
      );
    }
  });
});
