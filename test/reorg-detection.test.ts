import { parseEther, type Address, type Hex } from 'viem';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startAnvil, type Anvil } from './fixtures/anvil.ts';
import { mine, reorg, revert, rollback, snapshot } from './fixtures/chain-actions.ts';
import {
  canonicalHash,
  expectOutboxConsistent,
  headOf,
  sendRaw,
  signNative,
  startHarness,
  type Harness,
} from './fixtures/detection-harness.ts';

/**
 * Reorgs against a real anvil, with the engine's real scanner loop. The payer is anvil account 5,
 * paying with txs signed here, so a reorg can re-include the very same signed tx (same hash).
 */
const CONFIRMATIONS = 4;
const PAYER = 5;
const AMOUNT = parseEther('0.5');

describe('reorgs of the blocks that hold payments', () => {
  let anvil: Anvil;
  let till: Harness;
  let clean: Hex;

  beforeAll(async () => {
    anvil = await startAnvil();
    // Room below the payments for rollbacks and deep reorgs.
    await mine(anvil, 10);
  });
  afterAll(async () => {
    await anvil?.stop();
  });
  beforeEach(async () => {
    clean = await snapshot(anvil);
    till = await startHarness(anvil, { confirmations: CONFIRMATIONS });
  });
  afterEach(async () => {
    await till?.close();
    await revert(anvil, clean);
  });

  /** Pays `amount` to a fresh native invoice; waits until the scanner saw it and every block mined after it. */
  async function paidInvoice(blocksAfter: number, amount = AMOUNT) {
    const invoice = await till.create({ amount: '0.5' });
    const signed = await signNative(anvil, { from: PAYER, to: invoice.address as Address, value: amount });
    const mined = await sendRaw(anvil, signed.raw);
    if (blocksAfter > 0) await mine(anvil, blocksAfter);
    await till.caughtUp();
    return { invoice, signed, mined };
  }

  describe.each([1, 2, 3])('depth %i (below the confirmation depth)', (depth) => {
    it(`reorg of depth ${depth} that drops the payment steps a detected invoice back to pending`, async () => {
      const { invoice, mined } = await paidInvoice(depth - 1);
      expect((await till.invoice(invoice.id)).status).toBe('detected');

      await reorg(anvil, depth);
      const reverted = await till.until(invoice.id, (i) => i.status === 'pending', 'reverted to pending');
      expect(reverted).toMatchObject({ amountReceived: '0', exceptionStatus: null, detectedAt: null });
      expect(till.payments(invoice.id)).toMatchObject([{ txHash: mined.hash, status: 'orphaned' }]);
      expect(reverted.payments).toMatchObject([{ txHash: mined.hash, status: 'orphaned', confirmations: 0 }]);
      expect(till.eventTypes(invoice.id)).toEqual([
        'invoice.created',
        'invoice.payment_received',
        'invoice.detected',
        'invoice.reverted',
      ]);
      // Mining on does not bring the dropped payment back.
      await mine(anvil, CONFIRMATIONS);
      await till.caughtUp();
      expect((await till.invoice(invoice.id)).status).toBe('pending');
      expectOutboxConsistent(till.engine, invoice.id);
    });

    it(`reorg of depth ${depth} that re-includes the same tx in another block moves the one payment there`, async () => {
      const { invoice, signed, mined } = await paidInvoice(depth - 1);
      const offset = depth - 1;
      const { txHashes, fromBlock } = await reorg(anvil, depth, [{ tx: signed.raw, blockOffset: offset }]);
      expect(txHashes).toEqual([mined.hash]);
      const newBlock = Number(fromBlock) + offset;
      const newHash = await canonicalHash(anvil, newBlock);
      expect(newHash).not.toBe(mined.blockHash.toLowerCase());

      await till.caughtUp();
      const again = await till.until(
        invoice.id,
        (i) => i.status === 'detected' && i.payments[0]?.blockHash === newHash,
        'detected again in the new block',
      );
      expect(again.payments).toHaveLength(1);
      expect(again.payments[0]).toMatchObject({ txHash: mined.hash, blockNumber: newBlock, status: 'pending' });
      expect(till.payments(invoice.id)).toMatchObject([{ txHash: mined.hash, blockHash: newHash, status: 'pending' }]);

      // Depth counts from the new block.
      await mine(anvil, CONFIRMATIONS - 1 - (Number(await headOf(anvil)) - newBlock));
      const confirmed = await till.until(invoice.id, (i) => i.status === 'confirmed', 'confirmed');
      expect(confirmed).toMatchObject({ amountReceived: '0.5', exceptionStatus: null });
      expect(confirmed.payments).toMatchObject([{ txHash: mined.hash, blockHash: newHash, status: 'confirmed' }]);
      expect(till.payments(invoice.id)).toHaveLength(1);
      expect(till.eventTypes(invoice.id)).toEqual([
        'invoice.created',
        'invoice.payment_received',
        'invoice.detected',
        'invoice.reverted',
        'invoice.payment_received',
        'invoice.detected',
        'invoice.confirmed',
      ]);
      expectOutboxConsistent(till.engine, invoice.id);
    });

    it(`reorg of depth ${depth} that replaces the payment with a smaller one leaves the invoice underpaid`, async () => {
      const { invoice, signed, mined } = await paidInvoice(depth - 1);
      // Same payer, same nonce, another amount: the replacement a double-spender would send.
      const smaller = await signNative(anvil, {
        from: PAYER,
        to: invoice.address as Address,
        value: AMOUNT / 5n,
        nonce: signed.nonce,
      });
      const { txHashes } = await reorg(anvil, depth, [{ tx: smaller.raw, blockOffset: depth - 1 }]);
      await till.caughtUp();
      const after = await till.until(
        invoice.id,
        (i) => i.payments.some((p) => p.txHash === txHashes[0] && p.status === 'pending'),
        'the replacement payment recorded',
      );
      expect(after).toMatchObject({ status: 'pending', exceptionStatus: 'underpaid', amountReceived: '0.1' });
      expect(till.payments(invoice.id)).toMatchObject([
        { txHash: mined.hash, amount: AMOUNT, status: 'orphaned' },
        { txHash: txHashes[0], amount: AMOUNT / 5n, status: 'pending' },
      ]);
      expect(till.eventTypes(invoice.id)).toEqual([
        'invoice.created',
        'invoice.payment_received',
        'invoice.detected',
        'invoice.reverted',
        'invoice.payment_received',
      ]);
      expectOutboxConsistent(till.engine, invoice.id);
    });
  });

  it('a reorg above the payment block changes nothing about the payment and writes no event', async () => {
    const { invoice, mined } = await paidInvoice(2);
    const eventsBefore = till.eventTypes(invoice.id);
    expect(eventsBefore.at(-1)).toBe('invoice.detected');
    await reorg(anvil, 2);
    const head = await headOf(anvil);
    // The scanner must have walked back and come up to the head of the new fork again.
    await till.caughtUp(head);
    await expect
      .poll(() => till.engine.store.scanCursors.get(anvil.chainId)?.blockHash, { timeout: 10_000, interval: 50 })
      .toBe(await canonicalHash(anvil, head));
    expect(till.eventTypes(invoice.id)).toEqual(eventsBefore);
    expect(till.payments(invoice.id)).toMatchObject([
      { txHash: mined.hash, blockHash: mined.blockHash.toLowerCase(), status: 'pending' },
    ]);
    expect((await till.invoice(invoice.id)).status).toBe('detected');
    await mine(anvil, 1);
    await till.until(invoice.id, (i) => i.status === 'confirmed', 'confirmed at depth 4');
    expectOutboxConsistent(till.engine, invoice.id);
  });

  it('anvil_rollback below the payment, then new empty blocks past the old head, reverts the invoice', async () => {
    await mine(anvil, 4); // keep the rollback above this test's snapshot
    const { invoice, mined } = await paidInvoice(1);
    await rollback(anvil, 3);
    expect(await headOf(anvil)).toBe(mined.blockNumber - 2);
    await mine(anvil, 5);
    await till.until(invoice.id, (i) => i.status === 'pending', 'reverted to pending');
    expect(till.payments(invoice.id)).toMatchObject([{ txHash: mined.hash, status: 'orphaned' }]);
    expect(till.eventTypes(invoice.id)).toEqual([
      'invoice.created',
      'invoice.payment_received',
      'invoice.detected',
      'invoice.reverted',
    ]);
  });

  it('anvil_rollback below the payment to a chain that stays shorter than the scanned head reverts the invoice', async () => {
    // A reorg onto a shorter fork (missed slots on the winning fork): the scanned block
    // (the cursor) is above the new head, and the payment's block is gone.
    await mine(anvil, 4); // keep the rollback above this test's snapshot
    const { invoice, mined } = await paidInvoice(1);
    await rollback(anvil, 3);
    await mine(anvil, 1);
    expect(await headOf(anvil)).toBe(mined.blockNumber - 1);
    await till.until(invoice.id, (i) => i.status === 'pending', 'reverted to pending while the new fork is shorter', 10_000);
    expect(till.payments(invoice.id)).toMatchObject([{ txHash: mined.hash, status: 'orphaned' }]);
  });

  it('a reorg deeper than the confirmations that removes a confirmed payment raises a critical deep_reorg alert', async () => {
    const { invoice, mined } = await paidInvoice(CONFIRMATIONS - 1);
    await till.until(invoice.id, (i) => i.status === 'confirmed', 'confirmed');
    await reorg(anvil, CONFIRMATIONS);
    const alert = await till.waitForAlert(
      (a) => a.type === 'deep_reorg' && a.invoiceId === invoice.id,
      'a deep_reorg alert for the invoice',
    );
    expect(alert).toMatchObject({ severity: 'critical', chainId: anvil.chainId });
    expect(alert.message).toContain('confirmed');
    const reverted = await till.until(invoice.id, (i) => i.status === 'pending', 'back to pending');
    expect(reverted.confirmedAt).toBeNull();
    expect(till.payments(invoice.id)).toMatchObject([{ txHash: mined.hash, status: 'orphaned' }]);
    expect(till.eventTypes(invoice.id)).toEqual([
      'invoice.created',
      'invoice.payment_received',
      'invoice.detected',
      'invoice.confirmed',
      'invoice.reverted',
    ]);
    expectOutboxConsistent(till.engine, invoice.id);
  });
});
