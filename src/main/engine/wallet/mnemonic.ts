import * as bip39 from '@scure/bip39';
import { wordlist as english } from '@scure/bip39/wordlists/english.js';
import { TillError } from '../lib/errors.ts';

const ALLOWED_WORD_COUNTS = [12, 15, 18, 21, 24] as const;
const englishWords = new Set(english);

/**
 * A fresh 24-word English recovery phrase (256 bits of entropy from the platform CSPRNG).
 *
 * @example generateMnemonic().split(' ').length // 24
 */
export function generateMnemonic(): string {
  return bip39.generateMnemonic(english, 256);
}

/**
 * The canonical form of a phrase as people type or paste it: NFKD (as BIP39 requires), lower
 * case, words separated by single spaces.
 *
 * @example normalizeMnemonic('  Abandon\tabandon\n ... ') // 'abandon abandon ...'
 */
export function normalizeMnemonic(input: string): string {
  return input.normalize('NFKD').toLowerCase().trim().split(/\s+/u).filter(Boolean).join(' ');
}

const ordinal = (position: number): string => `word ${position}`;

/**
 * Checks a recovery phrase and returns its normalized form. Messages name the positions of the
 * problem words but never repeat the whole phrase, since they end up in logs and on screen.
 *
 * @example const mnemonic = assertValidMnemonic(userInput);
 */
export function assertValidMnemonic(input: string): string {
  const mnemonic = normalizeMnemonic(input);
  const words = mnemonic === '' ? [] : mnemonic.split(' ');
  if (!(ALLOWED_WORD_COUNTS as readonly number[]).includes(words.length)) {
    throw new TillError(
      'MNEMONIC_INVALID',
      `A recovery phrase has 12, 15, 18, 21 or 24 words, but this one has ${words.length}. ` +
        'Check for missing, extra or joined words.',
      { details: { reason: 'word_count', wordCount: words.length } },
    );
  }
  const unknown = words.flatMap((word, index) => (englishWords.has(word) ? [] : [{ position: index + 1, word }]));
  if (unknown.length > 0) {
    const listed = unknown.map(({ position, word }) => `${ordinal(position)} ("${word}")`).join(', ');
    throw new TillError(
      'MNEMONIC_INVALID',
      `${unknown.length === 1 ? 'This word is' : 'These words are'} not in the BIP39 English word list: ${listed}. ` +
        'Check the spelling against your written backup.',
      { details: { reason: 'unknown_words', positions: unknown.map(({ position }) => position) } },
    );
  }
  if (!bip39.validateMnemonic(mnemonic, english)) {
    throw new TillError(
      'MNEMONIC_INVALID',
      'Every word is a valid BIP39 word, but the checksum does not match: a word is probably mistyped or out of order. ' +
        'Compare the phrase with your written backup word by word.',
      { details: { reason: 'checksum' } },
    );
  }
  return mnemonic;
}
