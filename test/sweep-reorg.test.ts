import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEther, type Address } from 'viem';
import { startAnvil, type Anvil } from './fixtures/anvil.ts';
import { clients, reorg } from './fixtures/chain-actions.ts';
import { waitFor } from './fixtures/ports.ts';
import { startSweepHarness, type SweepHarness } from './fixtures/sweep-harness.ts';

describe('reorgs of a sweep (anvil, Prague)', () => {
  let anvil: Anvil;
  let till: SweepHarness;
  beforeAll(async () => {
    anvil = await startAnvil({ hardfork: 'prague' });
    till = await startSweepHarness(anvil, { confirmations: 3 });
  });
  afterAll(async () => {
    await till?.close();
    await anvil?.stop();
  });

  const events = (id: string) => till.engine.store.events.listForInvoice(id).map((e) => e.type);

  it('a reorg that drops a mined sweep before its depth: sent again, settled only at depth, swept once', async () => {
    const invoice = await till.create('native', '0.3');
    await till.pay(invoice, parseEther('0.3'));
    await till.confirm(invoice);
    const mined = await till.untilSweep((sweeps) => sweeps.some((s) => s.status === 'mined'), 'the sweep mined');
    const first = mined.find((s) => s.status === 'mined')!;
    // anvil drops the transactions of the replaced block for good: only Till sending it again brings it back.
    await reorg(anvil, 1);
    const back = await till.untilSweep(
      (sweeps) => sweeps.some((s) => s.id === first.id && s.status === 'mined' && s.txs[0]!.blockNumber !== null),
      'the sweep mined again after the reorg',
    );
    expect(back.find((s) => s.id === first.id)!.txs[0]!.attempts).toHaveLength(1);
    expect((await till.invoice(invoice.id)).status).toBe('confirmed');
    const settled = await till.until(invoice.id, (i) => i.status === 'settled' || (void till.mine(1), false), 'settled');
    const { public: client } = clients(anvil);
    const receipt = await client.getTransactionReceipt({ hash: settled.sweep!.txHash as `0x${string}` });
    expect(await till.treasuryBalance('native')).toBe(parseEther('0.3') - receipt.gasUsed * receipt.effectiveGasPrice);
    expect((await till.sweeps()).filter((s) => s.kind === 'native')).toHaveLength(1);
    expect(events(invoice.id).filter((t) => t === 'invoice.settled')).toHaveLength(1);
  });

  it('a reorg deeper than the depth after settlement: confirmed again (invoice.reverted), then settled again', async () => {
    const before = await till.treasuryBalance('native');
    const invoice = await till.create('native', '0.4');
    await till.pay(invoice, parseEther('0.4'));
    await till.confirm(invoice);
    const settled = await till.until(invoice.id, (i) => i.status === 'settled' || (void till.mine(1), false), 'settled');
    const { public: client } = clients(anvil);
    const sweptIn = Number((await client.getTransactionReceipt({ hash: settled.sweep!.txHash as `0x${string}` })).blockNumber);
    const head = Number(await client.getBlockNumber());
    await reorg(anvil, head - sweptIn + 1);
    await till.until(invoice.id, (i) => i.status === 'confirmed', 'confirmed again after the deep reorg');
    const again = await till.until(invoice.id, (i) => i.status === 'settled' || (void till.mine(1), false), 'settled again');
    expect(events(invoice.id).slice(-3)).toEqual(['invoice.settled', 'invoice.reverted', 'invoice.settled']);
    const receipt = await client.getTransactionReceipt({ hash: again.sweep!.txHash as `0x${string}` });
    expect((await till.treasuryBalance('native')) - before).toBe(parseEther('0.4') - receipt.gasUsed * receipt.effectiveGasPrice);
    expect(await client.getBalance({ address: invoice.address as Address })).toBe(0n);
    await waitFor(async () => (await till.sweeps()).every((s) => s.status === 'final'), 'all final');
  });
});
