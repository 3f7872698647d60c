import { describe, expect, it } from 'vitest';
import { affordableText, formatBps, sumAmounts } from './sweep-amounts.ts';

describe('sumAmounts', () => {
  it('adds decimal amounts exactly, where floats would not', () => {
    expect(sumAmounts(['0.1', '0.2'], 18)).toBe('0.3');
    expect(sumAmounts(['0.000021', '0.000000000000000001', '0'], 18)).toBe('0.000021000000000001');
    expect(sumAmounts([], 6)).toBe('0');
  });
  it('gives no total when one amount is missing or unreadable', () => {
    expect(sumAmounts(['0.1', null], 18)).toBeNull();
    expect(sumAmounts(['1e-3'], 18)).toBeNull();
  });
});

describe('affordableText', () => {
  it('says how many sweeps a gas balance pays for', () => {
    expect(affordableText(1)).toBe('Pays for about 1 sweep');
    expect(affordableText(1200)).toBe('Pays for about 1,200 sweeps');
    expect(affordableText(0)).toMatch(/^Not enough for one sweep/);
    expect(affordableText(null)).toMatch(/^Fees unknown/);
  });
});

describe('formatBps', () => {
  it('writes basis points as a percentage', () => {
    expect([100, 5, 250, 0, 10_000].map(formatBps)).toEqual(['1%', '0.05%', '2.5%', '0%', '100%']);
  });
});
