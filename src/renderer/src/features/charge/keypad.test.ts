import { describe, expect, it } from 'vitest';
import { isChargeable, keyFromKeyboard, pressKey, type KeypadKey } from './keypad.ts';

const type = (keys: KeypadKey[], decimals = 2) => keys.reduce((amount, key) => pressKey(amount, key, decimals), '');

describe('Charge keypad', () => {
  it('types an amount with at most the token’s decimals', () => {
    expect(type(['1', '2', '.', '5', '0'])).toBe('12.50');
    expect(type(['1', '2', '.', '5', '0', '7'])).toBe('12.50');
    expect(type(['.', '5'])).toBe('0.5');
    expect(type(['1', '.', '.', '2'])).toBe('1.2');
    expect(type(['0', '0', '7'])).toBe('7');
    expect(type(['1', '.', '5'], 0)).toBe('15');
  });
  it('backspace and clear', () => {
    expect(type(['1', '2', 'backspace'])).toBe('1');
    expect(type(['1', '2', 'clear'])).toBe('');
    expect(type(['backspace'])).toBe('');
  });
  it('reads the keyboard, a comma as the decimal point', () => {
    expect(keyFromKeyboard('7')).toBe('7');
    expect(keyFromKeyboard(',')).toBe('.');
    expect(keyFromKeyboard('Backspace')).toBe('backspace');
    expect(keyFromKeyboard('Escape')).toBe('clear');
    expect(keyFromKeyboard('a')).toBeUndefined();
  });
  it('charges only an amount above zero', () => {
    expect(isChargeable('12.50')).toBe(true);
    expect(isChargeable('0.05')).toBe(true);
    expect(isChargeable('0.')).toBe(false);
    expect(isChargeable('0.00')).toBe(false);
    expect(isChargeable('')).toBe(false);
  });
});
