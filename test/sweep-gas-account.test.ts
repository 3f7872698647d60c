import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatEther, parseEther, parseUnits } from 'viem';
import { startAnvil, type Anvil } from './fixtures/anvil.ts';
import { waitFor } from './fixtures/ports.ts';
import { startSweepHarness, TEST_GAS_ACCOUNT, type SweepHarness } from './fixtures/sweep-harness.ts';

describe('an empty gas account (anvil, Prague)', () => {
  let anvil: Anvil;
  let till: SweepHarness;
  beforeAll(async () => {
    anvil = await startAnvil({ hardfork: 'prague' });
    // USDC sweeps once 1 USDC waits (Till has no USDC price here), with no gas to pay for them.
    till = await startSweepHarness(anvil, { gas: 0n, sweep: { minAmounts: { USDC: '1' } } });
  });
  afterAll(async () => {
    await till?.close();
    await anvil?.stop();
  });

  it('raises an alert with the amount needed, and sweeps by itself once the account is funded', async () => {
    const invoice = await till.create('USDC', '25');
    await till.pay(invoice);
    await till.confirm(invoice);
    const alert = await waitFor(
      async () => (await till.engine.invoke('alerts.list', {})).find((a) => a.type === 'gas_account_empty'),
      'the gas account alert',
    );
    const needed = BigInt(alert.details!.needed as string);
    expect(needed).toBeGreaterThan(0n);
    expect(alert.message).toContain(TEST_GAS_ACCOUNT);
    expect(alert.remedy).toContain(`Send at least ${formatEther(needed)} ETH`);
    const overview = await till.engine.invoke('sweeps.overview', {});
    expect(overview.chains[0]).toMatchObject({ state: 'no_gas', gasAccount: { address: TEST_GAS_ACCOUNT, balance: '0' } });
    expect(overview.chains[0]!.gasAccount!.fundUri).toBe(`ethereum:${TEST_GAS_ACCOUNT}@${till.chainId}`);
    // Nothing was signed: no nonce was used for a transaction that could not be paid.
    expect(await till.sweeps()).toEqual([]);
    expect(till.engine.store.signerNonces.peek(till.chainId, TEST_GAS_ACCOUNT)).toBeUndefined();

    await till.fundGas(parseEther('1'));
    await till.until(invoice.id, (i) => i.status === 'settled' || (void till.mine(1), false), 'settled once funded', 60_000);
    expect(await till.treasuryBalance(till.tokens.usdc)).toBe(parseUnits('25', 6));
    const kinds = (await till.sweeps()).map((s) => [s.kind, s.trigger, s.status]);
    expect(kinds).toEqual(
      expect.arrayContaining([
        ['deploy', 'setup', 'final'],
        ['eip7702', 'minimum', 'final'],
      ]),
    );
    expect((await till.engine.invoke('sweeps.overview', {})).chains[0]!.state).toBe('active');
  });
});
