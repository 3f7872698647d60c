import { describe, expect, it } from 'vitest';
import { locateCost } from './native-balance-watch.ts';

describe('locateCost (the choice nativeDetection: auto makes)', () => {
  const busy = { txPerBlock: 200, span: 5_000 };
  it('keeps balance-first on a busy chain with a payment every 10 blocks, with or without traces', () => {
    expect(locateCost({ ...busy, changesPerBlock: 0.1, traces: true }).bodiesCheaper).toBe(false);
    expect(locateCost({ ...busy, changesPerBlock: 0.1, traces: false }).bodiesCheaper).toBe(false);
  });
  it('reads every body once most blocks change a watched balance and each must be bisected and read', () => {
    expect(locateCost({ ...busy, changesPerBlock: 0.6, traces: false }).bodiesCheaper).toBe(true);
  });
  it('with traces a change costs a header, not a body: dense changes still stay balance-first', () => {
    const cost = locateCost({ ...busy, changesPerBlock: 0.6, traces: true });
    expect(cost.bodiesCheaper).toBe(false);
    expect(cost.locateBytes).toBeLessThan(cost.bodyBytes / 2);
  });
  it('on an empty chain a body is barely more than a header: a change in every other block tips it', () => {
    expect(locateCost({ txPerBlock: 0, span: 100, changesPerBlock: 0.5, traces: false }).bodiesCheaper).toBe(true);
    expect(locateCost({ txPerBlock: 0, span: 100, changesPerBlock: 0, traces: false }).bodiesCheaper).toBe(false);
  });
});
