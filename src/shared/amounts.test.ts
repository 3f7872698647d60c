import { describe, expect, it } from 'vitest';
import { divideRoundingUp, formatAmount, formatBaseUnits, formatRatio, MAX_BASE_UNITS, parseAmount } from './amounts.ts';

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

describe('formatBaseUnits', () => {
  it('is formatAmount(BigInt(text)) for stored base units, canonical or not', () => {
    const texts = ['0', '1', '10', '100', '1250000', '1000000', '999999', '10000000000000000', '123456789012345678901234567890'];
    const odd = ['007', '-1250000', '-5', '0x10'];
    for (const text of [...texts, ...odd])
      for (const decimals of [0, 1, 2, 6, 8, 18, 30])
        expect(formatBaseUnits(text, decimals)).toBe(formatAmount(BigInt(text), decimals));
    for (let i = 0; i < 2_000; i++) {
      const text = String(BigInt(Math.floor(Math.random() * 2 ** 52)) * 10n ** BigInt(i % 20));
      expect(formatBaseUnits(text, i % 19)).toBe(formatAmount(BigInt(text), i % 19));
    }
  });

  it('throws as BigInt does on what is not an integer', () => {
    expect(() => formatBaseUnits('1.5', 6)).toThrow(SyntaxError);
    expect(formatBaseUnits('', 6)).toBe(formatAmount(BigInt(''), 6));
  });
});
