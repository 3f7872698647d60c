/**
 * The one place where amounts cross between exact base units (bigint) and decimal strings
 * ("12.5" USDC). Never a float: 0.1 + 0.2 is not money.
 */

/** Upper bound for any invoice amount in base units: 2^128 - 1, far above every real supply,
 * and well inside uint256 so it always fits an ERC-20 transfer. */
export const MAX_BASE_UNITS = (1n << 128n) - 1n;

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

export type ParseAmountResult = { ok: true; value: bigint } | { ok: false; reason: string };

/**
 * Parses a decimal string in token units into base units.
 * Rejects what a merchant could not have meant: signs, exponents, spaces, empty parts,
 * more fractional digits than the token has, zero, and absurdly large values.
 */
export function parseAmount(input: string, decimals: number): ParseAmountResult {
  if (typeof input !== 'string') return { ok: false, reason: 'the amount must be a string such as "12.50"' };
  if (input.startsWith('-')) return { ok: false, reason: 'the amount must be positive' };
  const match = DECIMAL.exec(input);
  if (!match) {
    return {
      ok: false,
      reason: `"${input.slice(0, 40)}" is not a decimal number; write it like "12.50" (digits, one optional dot, no sign, no exponent)`,
    };
  }
  const whole = match[1] ?? '0';
  const fraction = match[2] ?? '';
  if (fraction.length > decimals) {
    return {
      ok: false,
      reason: `this token has ${decimals} decimals, so the amount may have at most ${decimals} digits after the dot`,
    };
  }
  if (whole.length > 60) return { ok: false, reason: 'the amount is absurdly large' };
  const value = BigInt(whole + fraction.padEnd(decimals, '0'));
  if (value === 0n) return { ok: false, reason: 'the amount must be greater than zero' };
  if (value > MAX_BASE_UNITS) return { ok: false, reason: 'the amount is absurdly large' };
  return { ok: true, value };
}

/** Formats base units as a decimal string in token units, without trailing zeros ("12.5", "3"). */
export function formatAmount(value: bigint, decimals: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = decimals > 0 ? digits.slice(digits.length - decimals).replace(/0+$/, '') : '';
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

const CANONICAL_BASE_UNITS = /^(?:0|[1-9]\d*)$/;

/**
 * formatAmount(BigInt(text), decimals) for base units as the store holds them (a decimal integer
 * string), without the bigint: the digits are only cut and padded. Anything but a canonical
 * non-negative integer goes the bigint way, so the answer (or the error) is always the same.
 */
export function formatBaseUnits(text: string, decimals: number): string {
  if (!CANONICAL_BASE_UNITS.test(text)) return formatAmount(BigInt(text), decimals);
  const digits = text.length > decimals ? text : '0'.repeat(decimals + 1 - text.length) + text;
  const cut = digits.length - decimals;
  let end = digits.length;
  while (end > cut && digits.charCodeAt(end - 1) === 48) end--;
  return end === cut ? digits.slice(0, cut) : `${digits.slice(0, cut)}.${digits.slice(cut, end)}`;
}

/** Base units as they are stored and cross IPC: a canonical decimal integer string. */
export function encodeBaseUnits(value: bigint): string {
  return value.toString();
}

export function decodeBaseUnits(text: string): bigint {
  if (!/^-?\d+$/.test(text)) throw new TypeError(`not an integer amount in base units: ${text.slice(0, 40)}`);
  return BigInt(text);
}

/** ⌈numerator / denominator⌉ for positive integers: conversions round in the merchant's favour. */
export function divideRoundingUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n || numerator < 0n) throw new RangeError('divideRoundingUp takes a numerator ≥ 0 and a denominator > 0');
  return (numerator + denominator - 1n) / denominator;
}

/**
 * numerator / denominator as a decimal string with at most `fractionDigits` digits, rounded half
 * up, trailing zeros dropped ("0.91844232"): for showing a rate, never for computing with it.
 */
export function formatRatio(numerator: bigint, denominator: bigint, fractionDigits: number): string {
  if (denominator <= 0n || numerator < 0n) throw new RangeError('formatRatio takes a numerator ≥ 0 and a denominator > 0');
  const scaled = (numerator * 10n ** BigInt(fractionDigits) * 2n + denominator) / (2n * denominator);
  return formatAmount(scaled, fractionDigits);
}
