import { describe, expect, it } from 'vitest';
import { divideRoundingUp, formatAmount, formatRatio, MAX_BASE_UNITS, parseAmount } from './amounts.ts';

describe('parseAmount', () => {
  it.each([
    ['1', 18, 10n ** 18n],
    ['0.000000000000000001', 18, 1n],
    ['12.5', 6, 12_500_000n],
    ['12.500000', 6, 12_500_000n],
    ['007', 0, 7n],
  ])('parses %s with %d decimals', (input, decimals, expected) => {
    expect(parseAmount(input, decimals)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['0', 'greater than zero'],
    ['0.000', 'greater than zero'],
    ['-1', 'positive'],
    ['1e6', 'not a decimal number'],
    ['1,5', 'not a decimal number'],
    [' 1', 'not a decimal number'],
    ['.5', 'not a decimal number'],
    ['5.', 'not a decimal number'],
    ['', 'not a decimal number'],
    ['NaN', 'not a decimal number'],
    ['1.0000001', 'at most 6 digits'],
    ['9'.repeat(61), 'absurdly large'],
    [(MAX_BASE_UNITS + 1n).toString(), 'absurdly large'],
  ])('rejects %j', (input, reason) => {
    const result = parseAmount(input, 6);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(reason);
  });
});

describe('formatAmount', () => {
  it.each([
    [10n ** 18n, 18, '1'],
    [1n, 18, '0.000000000000000001'],
    [12_500_000n, 6, '12.5'],
    [0n, 6, '0'],
    [7n, 0, '7'],
  ])('formats %s', (value, decimals, expected) => {
    expect(formatAmount(value, decimals)).toBe(expected);
  });

  it('round-trips through parseAmount', () => {
    for (const text of ['1', '0.1', '123456789.123456', '0.000001']) {
      const parsed = parseAmount(text, 6);
      expect(parsed.ok && formatAmount(parsed.value, 6)).toBe(text);
    }
  });
});

describe('divideRoundingUp', () => {
  it.each([
    [10n, 5n, 2n],
    [11n, 5n, 3n],
    [1n, 3n, 1n],
    [0n, 7n, 0n],
    [10n ** 30n + 1n, 10n ** 30n, 2n],
  ])('%s / %s → %s', (numerator, denominator, expected) => {
    expect(divideRoundingUp(numerator, denominator)).toBe(expected);
  });
  it('refuses a zero denominator', () => {
    expect(() => divideRoundingUp(1n, 0n)).toThrow(RangeError);
  });
});

describe('formatRatio', () => {
  it.each([
    [1n, 3n, 4, '0.3333'],
    [2n, 3n, 4, '0.6667'],
    [1n, 8n, 2, '0.13'],
    [10000n, 10888n, 8, '0.91844232'],
    [3n, 1n, 8, '3'],
  ])('%s / %s to %s digits → %s', (numerator, denominator, digits, expected) => {
    expect(formatRatio(numerator, denominator, digits)).toBe(expected);
  });
});
