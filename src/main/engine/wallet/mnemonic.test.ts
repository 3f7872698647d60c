import { entropyToMnemonic, mnemonicToSeedSync } from '@scure/bip39';
import { wordlist as english } from '@scure/bip39/wordlists/english.js';
import { bytesToHex, hexToBytes } from 'viem';
import { describe, expect, it } from 'vitest';
import { TillError } from '../lib/errors.ts';
import { assertValidMnemonic, generateMnemonic, normalizeMnemonic } from './mnemonic.ts';

// Published BIP39 vectors, https://github.com/trezor/python-mnemonic/blob/master/vectors.json
// (entropy, mnemonic, seed with passphrase "TREZOR").
const TREZOR_VECTORS: Array<[entropy: string, mnemonic: string, seed: string]> = [
  [
    '00000000000000000000000000000000',
    'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about',
    'c55257c360c07c72029aebc1b53c05ed0362ada38ead3e3e9efa3708e53495531f09a6987599d18264c1e1c92f2cf141630c7a3c4ab7c81b2f001698e7463b04',
  ],
  [
    '7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f',
    'legal winner thank year wave sausage worth useful legal winner thank yellow',
    '2e8905819b8723fe2c1d161860e5ee1830318dbf49a83bd451cfb8440c28bd6fa457fe1296106559a3c80937a1c1069be3a3a5bd381ee6260e8d9739fce1f607',
  ],
  [
    '80808080808080808080808080808080',
    'letter advice cage absurd amount doctor acoustic avoid letter advice cage above',
    'd71de856f81a8acc65e6fc851a38d4d7ec216fd0796d0a6827a3ad6ed5511a30fa280f12eb2e47ed2ac03b5c462a0358d18d69fe4f985ec81778c1b370b652a8',
  ],
  [
    'ffffffffffffffffffffffffffffffff',
    'zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong',
    'ac27495480225222079d7be181583751e86f571027b0497b5b5d11218e0a8a13332572917f0f8e5a589620c6f15b11c61dee327651a14c34e18231052e48c069',
  ],
  [
    '7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f',
    'legal winner thank year wave sausage worth useful legal winner thank year wave sausage worth useful legal will',
    'f2b94508732bcbacbcc020faefecfc89feafa6649a5491b8c952cede496c214a0c7b3c392d168748f2d4a612bada0753b52a1c7ac53c1e93abd5c6320b9e95dd',
  ],
  [
    '0000000000000000000000000000000000000000000000000000000000000000',
    'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon art',
    'bda85446c68413707090a52022edd26a1c9462295029f2e60cd7c4f2bbd3097170af7a4d73245cafa9c3cca8d561a7c3de6f5d4a10be8ed2a5e608d68f92fcc8',
  ],
  [
    'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
    'zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo vote',
    'dd48c104698c30cfe2b6142103248622fb7bb0ff692eebb00089b32d22484e1613912f0a5b694407be899ffd31ed3992c456cdf60f5d4564b8ba3f05a69890ad',
  ],
  [
    '9e885d952ad362caeb4efe34a8e91bd2',
    'ozone drill grab fiber curtain grace pudding thank cruise elder eight picnic',
    '274ddc525802f7c828d8ef7ddbcdc5304e87ac3535913611fbbfa986d0c9e5476c91689f9c8a54fd55bd38606aa6a8595ad213d4c9c9f9aca3fb217069a41028',
  ],
  [
    'f585c11aec520db57dd353c69554b21a89b20fb0650966fa0a9d6f74fd989d8f',
    'void come effort suffer camp survey warrior heavy shoot primary clutch crush open amazing screen patrol group space point ten exist slush involve unfold',
    '01f5bced59dec48e362f2c45b5de68b9fd6c92c6634f44d6d40aab69056506f0e35524a518034ddc1192e1dacd32c1ed3eaa3c3b131c88ed8e7e54c49a5d0998',
  ],
];

describe('BIP39 test vectors (Trezor)', () => {
  it.each(TREZOR_VECTORS)('entropy %s', (entropy, mnemonic, seed) => {
    expect(entropyToMnemonic(hexToBytes(`0x${entropy}`), english)).toBe(mnemonic);
    expect(assertValidMnemonic(mnemonic)).toBe(mnemonic);
    expect(bytesToHex(mnemonicToSeedSync(mnemonic, 'TREZOR'))).toBe(`0x${seed}`);
  });
});

describe('generateMnemonic', () => {
  it('gives 24 valid English words, different each time', () => {
    const a = generateMnemonic();
    const b = generateMnemonic();
    expect(a.split(' ')).toHaveLength(24);
    expect(assertValidMnemonic(a)).toBe(a);
    expect(a).not.toBe(b);
  });
});

describe('normalizeMnemonic', () => {
  it('trims, lower-cases and collapses whitespace', () => {
    expect(normalizeMnemonic('  Legal  WINNER\tthank\n\nyear \u00a0 wave ')).toBe('legal winner thank year wave');
  });
  it('applies NFKD', () => {
    expect(normalizeMnemonic('caf\u00e9')).toBe('cafe\u0301');
  });
});

function invalid(input: string): TillError {
  try {
    assertValidMnemonic(input);
  } catch (error) {
    expect(error).toBeInstanceOf(TillError);
    expect((error as TillError).code).toBe('MNEMONIC_INVALID');
    return error as TillError;
  }
  throw new Error('expected MNEMONIC_INVALID');
}

describe('assertValidMnemonic', () => {
  const twelve = 'legal winner thank year wave sausage worth useful legal winner thank yellow';

  it('accepts a messy but correct phrase and returns its normal form', () => {
    expect(assertValidMnemonic(`  ${twelve.toUpperCase().replaceAll(' ', '   ')}\n`)).toBe(twelve);
  });

  it.each([0, 1, 11, 13, 23, 25])('%d words: names the count and the allowed ones', (count) => {
    const input = Array.from({ length: count }, () => 'abandon').join(' ');
    expect(invalid(input).message).toBe(
      `A recovery phrase has 12, 15, 18, 21 or 24 words, but this one has ${count}. Check for missing, extra or joined words.`,
    );
  });

  it('unknown words: names each with its position, without echoing the phrase', () => {
    const words = twelve.split(' ');
    words[2] = 'thankk';
    words[9] = 'bitcoin';
    const error = invalid(words.join(' '));
    expect(error.message).toBe(
      'These words are not in the BIP39 English word list: word 3 ("thankk"), word 10 ("bitcoin"). Check the spelling against your written backup.',
    );
    expect(error.message).not.toContain('sausage');
    expect(error.details).toEqual({ reason: 'unknown_words', positions: [3, 10] });
  });

  it('one unknown word: singular message', () => {
    expect(invalid(twelve.replace('yellow', 'yelow')).message).toMatch(
      /^This word is not in the BIP39 English word list: word 12 \("yelow"\)/,
    );
  });

  it('bad checksum: says a word is probably mistyped or out of order', () => {
    const swapped = twelve.replace('legal winner', 'winner legal');
    const error = invalid(swapped);
    expect(error.message).toContain('a word is probably mistyped or out of order');
    expect(error.message).not.toContain('legal');
    expect(error.details).toEqual({ reason: 'checksum' });
  });
});
