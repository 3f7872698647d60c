import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEther, parseGwei, type Address } from 'viem';
import { startAnvil, type Anvil } from './fixtures/anvil.ts';
import { clients, mine, setAutomine } from './fixtures/chain-actions.ts';
import { waitFor } from './fixtures/ports.ts';
import { startSweepHarness, type SweepHarness } from './fixtures/sweep-harness.ts';

describe('a sweep that is not getting mined (anvil with mining paused)', () => {
  let anvil: Anvil;
  let till: SweepHarness;
  beforeAll(async () => {
    anvil = await startAnvil({ hardfork: 'prague' });
    // Paused: nothing is swept by the policy; "Sweep now" still sends. Stuck after 1 s; ceiling 1.5 ×.
    till = await startSweepHarness(anvil, { sweep: { paused: true, stuckAfter: 1, feeCeiling: 1.5 } });
  });
  afterAll(async () => {
    await setAutomine(anvil, true).catch(() => undefined);
    await till?.close();
    await anvil?.stop();
  });

  it('is replaced with the same nonce and fees raised by at least 10 %, up to the ceiling, which raises an alert', async () => {
    const invoice = await till.create('native', '0.2');
    await till.pay(invoice, parseEther('0.2'));
    await till.confirm(invoice);
    await setAutomine(anvil, false);
    const run = await till.engine.invoke('sweeps.run', { chainId: till.chainId });
    expect(run.sweeps).toHaveLength(1);
    const id = run.sweeps[0]!.id;

    const alert = await waitFor(
      async () => (await till.engine.invoke('alerts.list', {})).find((a) => a.type === 'sweep_fee_ceiling'),
      'the fee ceiling alert',
      45_000,
    );
    expect(alert.remedy).toContain('Bump');
    const stuck = await till.engine.invoke('sweeps.get', { id });
    const attempts = stuck.txs[0]!.attempts;
    expect(attempts.length).toBeGreaterThanOrEqual(3);
    const gwei = (text: string) => parseGwei(text);
    for (let i = 1; i < attempts.length; i++) {
      const before = gwei(attempts[i - 1]!.maxFeeGwei);
      const after = gwei(attempts[i]!.maxFeeGwei);
      expect(after * 10n).toBeGreaterThanOrEqual(before * 11n);
      expect(gwei(attempts[i]!.priorityFeeGwei) * 10n).toBeGreaterThanOrEqual(gwei(attempts[i - 1]!.priorityFeeGwei) * 11n);
    }
    // Within the ceiling: 1.5 × the first max fee.
    expect(gwei(attempts.at(-1)!.maxFeeGwei) * 2n).toBeLessThanOrEqual(gwei(attempts[0]!.maxFeeGwei) * 3n);
    // Every version is one nonce of the deposit, in the node's pool.
    const { public: client } = clients(anvil);
    const nonces = new Set<number>();
    for (const attempt of attempts) {
      const tx = await client.getTransaction({ hash: attempt.hash as `0x${string}` }).catch(() => undefined);
      if (tx) nonces.add(tx.nonce);
    }
    expect([...nonces]).toEqual([stuck.txs[0]!.nonce]);

    // The merchant bumps past the ceiling once; then blocks come and the newest version is mined.
    const bumped = await till.engine.invoke('sweeps.bump', { id });
    expect(bumped.txs[0]!.attempts.length).toBe(attempts.length + 1);
    await setAutomine(anvil, true);
    await mine(anvil, 1);
    const settled = await till.until(invoice.id, (i) => i.status === 'settled' || (void till.mine(1), false), 'settled');
    const mined = await client.getTransactionReceipt({ hash: settled.sweep!.txHash as `0x${string}` });
    expect(settled.sweep!.txHash).toBe(bumped.txs[0]!.attempts.at(-1)!.hash);
    // The treasury got what that version sent: the balance less exactly its receipt's fee.
    expect(await till.treasuryBalance('native')).toBe(parseEther('0.2') - mined.gasUsed * mined.effectiveGasPrice);
    expect(await client.getBalance({ address: invoice.address as Address })).toBe(0n);
    expect((await till.sweeps()).filter((s) => s.kind === 'native')).toHaveLength(1);
  });
});
