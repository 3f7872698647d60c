import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseEther, type Address, type Hex } from 'viem';
import { startAnvil, type Anvil } from './fixtures/anvil.ts';
import { deployTestToken, mine, revert, sendNative, snapshot } from './fixtures/chain-actions.ts';
import { startHarness, type Harness } from './fixtures/detection-harness.ts';
import { useNativeDetection } from './fixtures/native-detection.ts';

/**
 * A gas top-up that Till's sweeper sends to a token deposit which is still watched (an expired
 * invoice's partial payment can be swept while late payments are still looked for) is native coin
 * arriving at a token invoice's address. It must not be taken for a wrong-token payment. The
 * sweep's transaction is recorded the way the sweeper records it (sweeps, sweep_txs and the
 * signed attempt's hash) before the scanner sees its block; a transfer with no such record is the
 * control and raises wrong_token.
 */
describe.each(['balances', 'blocks'] as const)('Till’s own sweep transactions are not payments (%s)', (mode) => {
  let anvil: Anvil;
  let usdc: Address;
  let till: Harness;
  let clean: Hex;

  beforeAll(async () => {
    anvil = await startAnvil();
    usdc = await deployTestToken(anvil, { symbol: 'USDC', decimals: 6 });
    await mine(anvil, 1);
  });
  afterAll(async () => {
    await anvil?.stop();
  });
  beforeEach(async () => {
    clean = await snapshot(anvil);
    useNativeDetection(mode);
    till = await startHarness(anvil, { confirmations: 2, tokens: [{ symbol: 'USDC', address: usdc, decimals: 6 }] });
  });
  afterEach(async () => {
    await till?.close();
    useNativeDetection('balances');
    await revert(anvil, clean);
  });

  /** The rows the sweeper writes before it broadcasts a top-up (see sweeper/sign-sweeps.ts). */
  function recordOwnTopUp(hash: Hex, to: string): void {
    const now = new Date().toISOString();
    const db = till.engine.store.db;
    db.prepare(
      `INSERT INTO sweeps (id, chain_id, kind, token, status, trigger, value, estimated_gas, estimated_fee, created_at, updated_at)
       VALUES ('swp_test', ?, 'topup', ?, 'pending', 'manual', '0', 50000, '0', ?, ?)`,
    ).run(till.chainId, usdc, now, now);
    db.prepare(
      `INSERT INTO sweep_txs (id, sweep_id, chain_id, role, from_address, nonce, gas_limit, status, first_max_fee, created_at, updated_at)
       VALUES ('stx_test', 'swp_test', ?, 'topup', ?, 0, 21000, 'pending', '1', ?, ?)`,
    ).run(till.chainId, to, now, now);
    db.prepare(
      `INSERT INTO sweep_tx_attempts (tx_id, attempt, hash, raw, max_fee_per_gas, max_priority_fee_per_gas, value, signed_at)
       VALUES ('stx_test', 0, ?, '0x', '1', '1', '0', ?)`,
    ).run(hash.toLowerCase(), now);
  }

  it('a top-up to a watched token deposit raises nothing; native coin from anyone else is a wrong token', async () => {
    // A native invoice is open too, so native detection runs.
    await till.create({ amount: '1' });
    const token = await till.create({ token: 'USDC', amount: '5' });
    await till.caughtUp();
    await till.engine.invoke('chains.pause', { chainId: till.chainId });
    const topUp = await sendNative(anvil, { to: token.address as Address, value: parseEther('0.001') });
    recordOwnTopUp(topUp, token.address);
    await mine(anvil, 3);
    await till.engine.invoke('chains.resume', { chainId: till.chainId });
    await till.caughtUp();
    expect(await till.alerts('wrong_token')).toEqual([]);
    expect(till.payments(token.id)).toEqual([]);

    const stranger = await sendNative(anvil, { to: token.address as Address, value: parseEther('0.002') });
    await mine(anvil, 1);
    const alert = await till.waitForAlert((a) => a.type === 'wrong_token', 'a wrong_token alert');
    expect(alert.details).toMatchObject({ txHash: stranger.toLowerCase() });
    expect(await till.alerts('internal_transfer')).toEqual([]);
  });
});
