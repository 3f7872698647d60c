import { describe, expect, it } from 'vitest';
import { createEndpointState } from './endpoint-state.ts';

function fakeClock() {
  let t = Date.parse('2030-01-01T00:00:00Z');
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('endpoint state', () => {
  it('score: latency EWMA weighted by error rate; failures fall out of the 5-minute window', () => {
    const clock = fakeClock();
    const endpoint = createEndpointState('http://a', clock);
    endpoint.succeed(100);
    endpoint.succeed(200);
    expect(endpoint.health(null, 5).latencyMs).toBe(130);
    endpoint.fail('HTTP 500');
    expect(endpoint.errorRate()).toBeCloseTo(1 / 3);
    expect(endpoint.score()).toBeCloseTo(130 * (1 + 4 / 3));
    clock.advance(5 * 60_000 + 1);
    expect(endpoint.errorRate()).toBe(0);
  });

  it('breaker: only one probe at a time while half-open; cooldown doubles up to 5 minutes', () => {
    const clock = fakeClock();
    const endpoint = createEndpointState('http://a', clock);
    for (let i = 0; i < 4; i++) expect(endpoint.fail('x')).toBe(false);
    expect(endpoint.fail('x')).toBe(true);
    const cooldowns: number[] = [];
    for (let i = 0; i < 6; i++) {
      const until = endpoint.availableAt()!;
      cooldowns.push(until - clock.now());
      clock.advance(until - clock.now());
      expect(endpoint.available()).toBe(true);
      endpoint.begin();
      expect(endpoint.available()).toBe(false);
      endpoint.fail('probe failed');
    }
    expect(cooldowns).toEqual([15_000, 30_000, 60_000, 120_000, 240_000, 300_000]);
    clock.advance(300_000);
    endpoint.begin();
    endpoint.succeed(10);
    expect(endpoint.circuit()).toBe('closed');
    for (let i = 0; i < 5; i++) endpoint.fail('x');
    expect(endpoint.availableAt()! - clock.now()).toBe(15_000);
  });

  it('log span: doubles after full chunks, shrinks to the provider’s number and stays under a block cap', () => {
    const endpoint = createEndpointState('http://a', fakeClock());
    endpoint.logRangeServed(1_000);
    endpoint.logRangeServed(2_000);
    expect(endpoint.maxLogRange).toBe(4_000);
    endpoint.logRangeServed(1_500); // a short tail chunk says nothing about wider spans
    expect(endpoint.maxLogRange).toBe(4_000);
    endpoint.logRangeRefused(4_000, { limit: 3_500, cause: 'blocks' });
    expect(endpoint.maxLogRange).toBe(3_500);
    endpoint.logRangeServed(3_500);
    expect(endpoint.maxLogRange).toBe(3_500);
    endpoint.logRangeRefused(3_500, { limit: null, cause: 'blocks' });
    expect(endpoint.maxLogRange).toBe(1_750);
  });

  it('log span: a "too many results" refusal caps growth for 10 minutes only', () => {
    const clock = fakeClock();
    const endpoint = createEndpointState('http://a', clock);
    endpoint.logRangeRefused(1_000, { limit: 100, cause: 'results' });
    endpoint.logRangeServed(100);
    expect(endpoint.maxLogRange).toBe(100);
    clock.advance(10 * 60_000);
    endpoint.logRangeServed(100);
    expect(endpoint.maxLogRange).toBe(200);
  });

  it('lagging and cooldown in health()', () => {
    const clock = fakeClock();
    const endpoint = createEndpointState('https://mainnet.infura.io/v3/0123456789abcdef0123456789abcdef', clock);
    endpoint.setHead(100);
    endpoint.fail('rate limited', { retryAfterMs: 2_000 });
    expect(endpoint.health(106, 5)).toMatchObject({
      url: 'https://mainnet.infura.io/v3/••••',
      head: 100,
      lagging: true,
      cooldownUntil: '2030-01-01T00:00:02.000Z',
    });
    expect(endpoint.health(105, 5).lagging).toBe(false);
    expect(endpoint.available()).toBe(false);
    clock.advance(2_000);
    expect(endpoint.available()).toBe(true);
  });

  it('flag: shows as the last error, but leaves the breaker and the error rate alone', () => {
    const clock = fakeClock();
    const endpoint = createEndpointState('http://a', clock);
    endpoint.succeed(10);
    for (let i = 0; i < 10; i++) endpoint.flag('served another fork');
    expect(endpoint.health(null, 5)).toMatchObject({
      lastError: 'served another fork',
      lastErrorAt: '2030-01-01T00:00:00.000Z',
      circuit: 'closed',
      errorRate: 0,
      failures: 0,
    });
    expect(endpoint.available()).toBe(true);
  });
});
