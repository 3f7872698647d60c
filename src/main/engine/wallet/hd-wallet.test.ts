import { HDKey } from '@scure/bip32';
import { hexToBytes, bytesToHex } from 'viem';
import { mnemonicToAccount, privateKeyToAddress } from 'viem/accounts';
import { describe, expect, it } from 'vitest';
import { createAddressDeriver, deriveAccountKeys, privateKeyAt } from './hd-wallet.ts';

const ABANDON = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const ANVIL = 'test test test test test test test test test test test junk';
const MEADOW =
  'meadow surge vanish primary odor grocery rubber mass shine dinner notable tag venue water purchase clarify book magic ribbon daughter menu eye ritual orchard';

// https://github.com/bitcoin/bips/blob/master/bip-0032.mediawiki#test-vector-1
describe('BIP32 test vector 1', () => {
  const root = HDKey.fromMasterSeed(hexToBytes('0x000102030405060708090a0b0c0d0e0f'));
  it.each([
    [
      'm',
      'xpub661MyMwAqRbcFtXgS5sYJABqqG9YLmC4Q1Rdap9gSE8NqtwybGhePY2gZ29ESFjqJoCu1Rupje8YtGqsefD265TMg7usUDFdp6W1EGMcet8',
      'xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi',
    ],
    [
      "m/0'",
      'xpub68Gmy5EdvgibQVfPdqkBBCHxA5htiqg55crXYuXoQRKfDBFA1WEjWgP6LHhwBZeNK1VTsfTFUHCdrfp1bgwQ9xv5ski8PX9rL2dZXvgGDnw',
      'xprv9uHRZZhk6KAJC1avXpDAp4MDc3sQKNxDiPvvkX8Br5ngLNv1TxvUxt4cV1rGL5hj6KCesnDYUhd7oWgT11eZG7XnxHrnYeSvkzY7d2bhkJ7',
    ],
    [
      "m/0'/1",
      'xpub6ASuArnXKPbfEwhqN6e3mwBcDTgzisQN1wXN9BJcM47sSikHjJf3UFHKkNAWbWMiGj7Wf5uMash7SyYq527Hqck2AxYysAA7xmALppuCkwQ',
      'xprv9wTYmMFdV23N2TdNG573QoEsfRrWKQgWeibmLntzniatZvR9BmLnvSxqu53Kw1UmYPxLgboyZQaXwTCg8MSY3H2EU4pWcQDnRnrVA1xe8fs',
    ],
  ])('%s', (path, xpub, xprv) => {
    const node = root.derive(path);
    expect(node.publicExtendedKey).toBe(xpub);
    expect(node.privateExtendedKey).toBe(xprv);
  });
  it('master fingerprint is 3442193e', () => {
    expect(root.fingerprint.toString(16).padStart(8, '0')).toBe('3442193e');
  });
});

describe('deriveAccountKeys', () => {
  it('fingerprint and deposit xpub of a known phrase', () => {
    const keys = deriveAccountKeys(ABANDON);
    // Master fingerprint of this phrase as shown by hardware wallets (e.g. Trezor, Ledger, BlueWallet).
    expect(keys.fingerprint).toBe('73c5da0a');
    const node = HDKey.fromExtendedKey(keys.depositXpub);
    expect(node.privateKey).toBeNull();
    expect(node.depth).toBe(4);
  });

  it('a BIP39 passphrase makes a different wallet', () => {
    const plain = deriveAccountKeys(ABANDON);
    const withPassphrase = deriveAccountKeys(ABANDON, 'TREZOR');
    expect(withPassphrase.fingerprint).not.toBe(plain.fingerprint);
    expect(withPassphrase.depositXpub).not.toBe(plain.depositXpub);
  });

  it('accepts a messy phrase and rejects an invalid one', () => {
    expect(deriveAccountKeys(`  ${ABANDON.toUpperCase()} `)).toEqual(deriveAccountKeys(ABANDON));
    expect(() => deriveAccountKeys(ABANDON.replace('about', 'abandon'))).toThrow(
      expect.objectContaining({ code: 'MNEMONIC_INVALID' }),
    );
  });
});

const INDICES = [...Array.from({ length: 50 }, (_, i) => i), 1000, 65535, 2 ** 31 - 1];

describe("createAddressDeriver matches viem mnemonicToAccount (m/44'/60'/0'/0/i)", () => {
  it.each([
    ['anvil phrase', ANVIL, ''],
    ['abandon phrase', ABANDON, ''],
    ['abandon phrase + passphrase', ABANDON, 'TREZOR'],
    ['24 words + unicode passphrase', MEADOW, 'pässwörd 🔑'],
  ])('%s', (_name, mnemonic, passphrase) => {
    const deriver = createAddressDeriver(deriveAccountKeys(mnemonic, passphrase).depositXpub);
    for (const index of INDICES) {
      const expected = mnemonicToAccount(mnemonic, { addressIndex: index, passphrase }).address;
      expect(deriver.addressAt(index), `index ${index}`).toBe(expected);
    }
  });

  it('well-known addresses: anvil account 0 and the abandon phrase', () => {
    expect(createAddressDeriver(deriveAccountKeys(ANVIL).depositXpub).addressAt(0)).toBe(
      '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
    );
    expect(createAddressDeriver(deriveAccountKeys(ABANDON).depositXpub).addressAt(0)).toBe(
      '0x9858EfFD232B4033E47d90003D41EC34EcaEda94',
    );
  });

  it.each([-1, 1.5, 2 ** 31, Number.NaN, Number.POSITIVE_INFINITY])('index %s is refused', (index) => {
    const deriver = createAddressDeriver(deriveAccountKeys(ANVIL).depositXpub);
    expect(() => deriver.addressAt(index)).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED', message: expect.stringContaining('0 to 2147483647') }),
    );
  });

  it('refuses a private key, a key from the wrong depth and garbage', () => {
    const root = HDKey.fromMasterSeed(hexToBytes('0x000102030405060708090a0b0c0d0e0f'));
    expect(() => createAddressDeriver(root.derive("m/44'/60'/0'/0").privateExtendedKey)).toThrow(/got a private one/);
    expect(() => createAddressDeriver(root.publicExtendedKey)).toThrow(/depth 0/);
    expect(() => createAddressDeriver('xpub-not-really')).toThrow(/not a valid xpub/);
  });
});

describe('privateKeyAt', () => {
  it('gives the key of the same address and matches viem', () => {
    const deriver = createAddressDeriver(deriveAccountKeys(ABANDON, 'TREZOR').depositXpub);
    for (const index of [0, 7, 2 ** 31 - 1]) {
      const key = privateKeyAt(ABANDON, 'TREZOR', index);
      expect(key).toBeInstanceOf(Uint8Array);
      expect(key).toHaveLength(32);
      const hex = bytesToHex(key);
      expect(privateKeyToAddress(hex)).toBe(deriver.addressAt(index));
      const viemKey = mnemonicToAccount(ABANDON, { addressIndex: index, passphrase: 'TREZOR' }).getHdKey().privateKey;
      expect(hex).toBe(bytesToHex(viemKey!));
      key.fill(0);
    }
  });

  it('refuses an out-of-range index', () => {
    expect(() => privateKeyAt(ABANDON, '', -1)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });
});
