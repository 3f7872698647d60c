import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEther } from 'viem';
import { startAnvil, type Anvil } from './fixtures/anvil.ts';
import { clients } from './fixtures/chain-actions.ts';
import { waitFor } from './fixtures/ports.ts';
import { startSweepHarness, type SweepHarness } from './fixtures/sweep-harness.ts';
import { startWebhookReceiver, type WebhookReceiver } from './fixtures/webhook-receiver.ts';

describe('native sweeps on anvil (Prague)', () => {
  let anvil: Anvil;
  let till: SweepHarness;
  let shop: WebhookReceiver;
  beforeAll(async () => {
    anvil = await startAnvil({ hardfork: 'prague' });
    till = await startSweepHarness(anvil);
    // The shop's backend: a real HTTP receiver that verifies each signature.
    shop = await startWebhookReceiver();
    const { secret } = await till.engine.invoke('webhooks.create', { url: shop.url, events: ['invoice.settled'] });
    shop.secrets.push(secret);
  });
  afterAll(async () => {
    await till?.close();
    await shop?.close();
    await anvil?.stop();
  });

  it('sweeps every paid deposit: the treasury gets the exact sum less what the receipts paid, each invoice is settled', async () => {
    const amounts = ['0.05', '0.1', '0.25', '1', '0.0123'];
    const invoices = [];
    for (const amount of amounts) invoices.push(await till.create('native', amount));
    for (const invoice of invoices) await till.pay(invoice, parseEther(invoice.amount));
    for (const invoice of invoices) await till.confirm(invoice);
    // Within the default policy (fee ≤ 1 % of the value) each is swept by itself; mining gives depth.
    const settled = [];
    for (const invoice of invoices) {
      settled.push(
        await till.until(
          invoice.id,
          (now) => {
            if (now.status !== 'settled') void till.mine(1);
            return now.status === 'settled';
          },
          `invoice ${invoice.id} settled`,
        ),
      );
    }
    const { public: client } = clients(anvil);
    let paidGas = 0n;
    for (const invoice of settled) {
      expect(invoice.sweep).not.toBeNull();
      const receipt = await client.getTransactionReceipt({ hash: invoice.sweep!.txHash as `0x${string}` });
      expect(receipt.status).toBe('success');
      const fee = receipt.gasUsed * receipt.effectiveGasPrice;
      paidGas += fee;
      // The invoice's share of the cost is what its receipt says (one deposit per native sweep).
      expect(parseEther(invoice.sweep!.gasCost)).toBe(fee);
      expect(await client.getBalance({ address: invoice.address as `0x${string}` })).toBe(0n);
    }
    const total = amounts.reduce((sum, amount) => sum + parseEther(amount), 0n);
    expect(await till.treasuryBalance('native')).toBe(total - paidGas);
    for (const invoice of settled)
      expect(till.engine.store.events.listForInvoice(invoice.id).map((e) => e.type)).toContain('invoice.settled');
    // Each invoice.settled reached the shop, signed, carrying the settled invoice with its sweep.
    await waitFor(() => shop.accepted().length === settled.length, 'invoice.settled at the shop');
    for (const invoice of settled) {
      const delivered = shop.accepted().find((r) => r.event!.data.invoice?.id === invoice.id)!;
      expect(delivered.event).toMatchObject({ type: 'invoice.settled', data: { invoice: { status: 'settled' } } });
      expect((delivered.event!.data.invoice as unknown as { sweep: unknown }).sweep).toEqual(invoice.sweep);
    }
  });
});
