import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startAnvil, type Anvil } from './fixtures/anvil.ts';
import { adjustableClock, startHarness, type AdjustableClock, type Harness } from './fixtures/detection-harness.ts';
import { clients } from './fixtures/chain-actions.ts';

/**
 * The chain_stalled alert keys on the chain's own block time, learnt from the blocks it scanned:
 * a chain that stops producing blocks raises it; a dev chain that only mines on transactions does
 * not (there is no block time to go by), so a newcomer's first anvil never shows a false alarm.
 */
describe('chain stall alert', () => {
  let anvil: Anvil;
  let till: Harness | undefined;
  let clock: AdjustableClock;

  beforeAll(async () => {
    anvil = await startAnvil();
  });
  afterAll(async () => {
    await anvil?.stop();
  });
  afterEach(async () => {
    await till?.close();
    till = undefined;
  });

  it('a chain with a steady block time that stops producing blocks raises chain_stalled', async () => {
    clock = adjustableClock();
    till = await startHarness(anvil, { clock, startBlock: 0 });
    // Twelve blocks two seconds apart: a block time Till can learn.
    await clients(anvil).test.mine({ blocks: 12, interval: 2 });
    await till.caughtUp();
    expect(await till.alerts('chain_stalled')).toEqual([]);
    clock.advance(10 * 60_000);
    const alert = await till.waitForAlert((a) => a.type === 'chain_stalled', 'a chain_stalled alert');
    expect(alert.message).toMatch(/usually come every 2 s/);
  });

  it('a quiet dev chain with too few blocks to know its block time raises nothing', async () => {
    clock = adjustableClock();
    const head = Number(await clients(anvil).public.getBlockNumber());
    till = await startHarness(anvil, { clock, startBlock: head + 1 });
    await clients(anvil).test.mine({ blocks: 2 });
    await till.caughtUp();
    clock.advance(10 * 60_000);
    // Wait for a scan step at the moved clock: the alert check runs after every step.
    const moved = clock.now();
    await expect
      .poll(() => Date.parse(till!.engine.chainHealth()[0]!.lastSuccessfulScanAt ?? '0'), { timeout: 10_000 })
      .toBeGreaterThanOrEqual(moved);
    expect(await till.alerts('chain_stalled')).toEqual([]);
  });
});
