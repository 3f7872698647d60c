import { formatAmount, parseAmount } from '../../../../shared/amounts.ts';

/**
 * The exact sum of decimal amounts the engine sent (fees of several sweeps, say), as a decimal
 * string again: parsed to base units, added as bigint, never as floats. null when one is missing
 * or unreadable, so a total is never shown smaller than it is.
 */
export function sumAmounts(amounts: readonly (string | null)[], decimals: number): string | null {
  let total = 0n;
  for (const amount of amounts) {
    if (amount === null) return null;
    // parseAmount refuses zero (an invoice of 0 means nothing); a fee of 0 is real.
    if (/^0+(\.0*)?$/.test(amount)) continue;
    const parsed = parseAmount(amount, decimals);
    if (!parsed.ok) return null;
    total += parsed.value;
  }
  return formatAmount(total, decimals);
}

/** "about 12 sweeps", "about 1 sweep", "no sweep at today's fees". */
export function affordableText(count: number | null): string {
  if (count === null) return 'Fees unknown: cannot tell how many sweeps it pays for';
  if (count === 0) return 'Not enough for one sweep at today’s fees';
  return `Pays for about ${count.toLocaleString()} ${count === 1 ? 'sweep' : 'sweeps'}`;
}

/** Basis points as a share: 100 → "1%", 5 → "0.05%", 250 → "2.5%" (integers only, no float rounding). */
export function formatBps(bps: number): string {
  const whole = Math.trunc(bps / 100);
  const fraction = String(bps % 100)
    .padStart(2, '0')
    .replace(/0+$/, '');
  return `${whole}${fraction ? `.${fraction}` : ''}%`;
}
