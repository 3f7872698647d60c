import { describe, expect, it } from 'vitest';
import { decodeWalletSecret, encodeWalletSecret } from './wallet-secret.ts';

const MNEMONIC = 'legal winner thank year wave sausage worth useful legal winner thank yellow';

describe('wallet secret', () => {
  it('round trips, storing the normalized phrase', () => {
    const encoded = encodeWalletSecret({ mnemonic: ` ${MNEMONIC.toUpperCase()} `, passphrase: 'extra words' });
    expect(JSON.parse(encoded)).toEqual({ v: 1, mnemonic: MNEMONIC, passphrase: 'extra words' });
    expect(decodeWalletSecret(encoded)).toEqual({ mnemonic: MNEMONIC, passphrase: 'extra words' });
  });

  it('refuses to encode an invalid phrase', () => {
    expect(() => encodeWalletSecret({ mnemonic: 'legal winner', passphrase: '' })).toThrow(
      expect.objectContaining({ code: 'MNEMONIC_INVALID' }),
    );
  });

  it.each([
    ['not JSON', `{"v":1,"mnemonic":"${MNEMONIC}"`, 'not valid JSON'],
    ['missing passphrase', JSON.stringify({ v: 1, mnemonic: MNEMONIC }), 'passphrase'],
    [
      'invalid phrase',
      JSON.stringify({ v: 1, mnemonic: MNEMONIC.replace('yellow', 'zoo'), passphrase: '' }),
      'recovery phrase is not valid',
    ],
  ])('%s: VAULT_FILE_CORRUPT without quoting the stored phrase', (_case, stored, expected) => {
    let error: unknown;
    try {
      decodeWalletSecret(stored);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'VAULT_FILE_CORRUPT', message: expect.stringContaining(expected) });
    expect((error as Error).message).not.toContain('winner');
    expect((error as Error).cause).toBeUndefined();
  });

  it('a newer entry format: VAULT_FORMAT_UNSUPPORTED', () => {
    expect(() => decodeWalletSecret(JSON.stringify({ v: 2, seed: 'x' }))).toThrow(
      expect.objectContaining({ code: 'VAULT_FORMAT_UNSUPPORTED' }),
    );
  });
});
