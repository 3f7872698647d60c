/**
 * The Charge screen's amount entry: what a key does to the typed amount. Pure, so the keyboard
 * and the on-screen keypad behave the same and it is tested without a browser.
 */
export type KeypadKey = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '.' | 'backspace' | 'clear';

export function pressKey(amount: string, key: KeypadKey, maxDecimals: number): string {
  if (key === 'clear') return '';
  if (key === 'backspace') return amount.slice(0, -1);
  if (key === '.') {
    if (maxDecimals === 0 || amount.includes('.')) return amount;
    return amount === '' ? '0.' : `${amount}.`;
  }
  const [, decimals] = amount.split('.');
  if (decimals !== undefined && decimals.length >= maxDecimals) return amount;
  if (amount === '0') return key; // no leading zeros: "05" is "5"
  if (amount.replace('.', '').length >= 24) return amount;
  return amount + key;
}

/** The key a keyboard event means on the keypad, if any. */
export function keyFromKeyboard(key: string): KeypadKey | undefined {
  if (/^[0-9]$/.test(key)) return key as KeypadKey;
  if (key === '.' || key === ',') return '.';
  if (key === 'Backspace') return 'backspace';
  if (key === 'Escape' || key === 'Delete') return 'clear';
  return undefined;
}

/** Worth creating an invoice for: a number above zero ("0.", "0.00" are not). */
export const isChargeable = (amount: string): boolean => /^\d+(\.\d+)?$/.test(amount) && /[1-9]/.test(amount);
