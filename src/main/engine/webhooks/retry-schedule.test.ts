import { describe, expect, it } from 'vitest';
import { DELIVERY_WINDOW_MS, nextAttemptAfterFailure, nominalRetryDelayMs } from './retry-schedule.ts';

const T0 = Date.parse('2026-11-25T10:00:00.000Z');
const S = 1_000;
const MIN = 60 * S;
const HOUR = 60 * MIN;
const middle = () => 0.5;

describe('webhook retry schedule', () => {
  it('waits about 10 s, 1 min, 5 min, 30 min, then every hour', () => {
    expect([1, 2, 3, 4, 5, 6, 50].map(nominalRetryDelayMs)).toEqual([10 * S, MIN, 5 * MIN, 30 * MIN, HOUR, HOUR, HOUR]);
    expect([1, 2, 3, 4, 5].map((failed) => nextAttemptAfterFailure(T0, failed, T0, middle)! - T0)).toEqual([
      10 * S,
      MIN,
      5 * MIN,
      30 * MIN,
      HOUR,
    ]);
  });

  it('jitters each wait by at most ±20 %, from the random source', () => {
    const at = (random: number, failed: number) => nextAttemptAfterFailure(T0, failed, T0, () => random)! - T0;
    expect(at(0, 1)).toBe(8 * S);
    expect(at(0.25, 1)).toBe(9 * S);
    expect(at(0.75, 3)).toBe(330 * S);
    expect(at(0.999_999, 5)).toBe(Math.round(HOUR * (0.8 + 0.4 * 0.999_999)));
    expect(at(0.999_999, 5)).toBeLessThan(1.2 * HOUR);
    // The real source: many draws, all inside the band, not all the same.
    const draws = Array.from({ length: 200 }, () => nextAttemptAfterFailure(T0, 2, T0)! - T0);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0.8 * MIN);
    expect(Math.max(...draws)).toBeLessThanOrEqual(1.2 * MIN);
    expect(new Set(draws).size).toBeGreaterThan(10);
  });

  it('counts the wait from the failed attempt, not from the delivery’s creation', () => {
    expect(nextAttemptAfterFailure(T0, 5, T0 + 10 * HOUR, middle)).toBe(T0 + 11 * HOUR);
  });

  it('gives up when the next attempt would fall past three days after the delivery was created', () => {
    expect(DELIVERY_WINDOW_MS).toBe(72 * HOUR);
    expect(nextAttemptAfterFailure(T0, 9, T0 + 71 * HOUR, middle)).toBe(T0 + 72 * HOUR);
    expect(nextAttemptAfterFailure(T0, 9, T0 + 71 * HOUR + 1, middle)).toBeNull();
    // Jitter can push a last attempt over the edge, or keep it inside.
    expect(nextAttemptAfterFailure(T0, 9, T0 + 71 * HOUR, () => 0)).toBe(T0 + 71.8 * HOUR);
    expect(nextAttemptAfterFailure(T0, 9, T0 + 71 * HOUR, () => 0.99)).toBeNull();
  });

  it('an endpoint down for good is tried 76 times over three days, at the documented times', () => {
    const starts = [T0];
    for (;;) {
      const next = nextAttemptAfterFailure(T0, starts.length, starts.at(-1)!, middle);
      if (next === null) break;
      starts.push(next);
    }
    const firstFive = [0, 10 * S, 70 * S, 370 * S, 2_170 * S].map((offset) => T0 + offset);
    expect(starts.slice(0, 5)).toEqual(firstFive);
    for (let i = 5; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBe(HOUR);
    expect(starts).toHaveLength(76);
    expect(starts.at(-1)! - T0).toBeLessThanOrEqual(DELIVERY_WINDOW_MS);
    expect(starts.at(-1)! + HOUR - T0).toBeGreaterThan(DELIVERY_WINDOW_MS);
  });
});
