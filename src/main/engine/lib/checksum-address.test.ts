import { randomBytes } from 'node:crypto';
import { getAddress, InvalidAddressError } from 'viem';
import { describe, expect, it } from 'vitest';
import { checksumAddress, createChecksumCache } from './checksum-address.ts';

const mixedCase = (hex: string, seed: number) =>
  `0x${[...hex.slice(2)].map((c, i) => ((seed >> (i % 30)) & 1 ? c.toUpperCase() : c)).join('')}`;

describe('checksumAddress', () => {
  it('gives what viem getAddress gives, for 5,000 random addresses in lower, upper, mixed and checksummed case', () => {
    for (let i = 0; i < 5_000; i++) {
      const hex = `0x${randomBytes(20).toString('hex')}`;
      const expected = getAddress(hex);
      const inputs = [hex, `0x${hex.slice(2).toUpperCase()}`, mixedCase(hex, randomBytes(4).readUInt32LE()), expected];
      for (const input of inputs) expect(checksumAddress(input)).toBe(expected);
    }
  });

  it('knows the EIP-55 examples', () => {
    for (const address of [
      '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
      '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
      '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB',
      '0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb',
      '0x0000000000000000000000000000000000000000',
    ])
      expect(checksumAddress(address.toLowerCase())).toBe(address);
  });

  it('throws what getAddress throws on what is not an address', () => {
    for (const text of ['0x1234', `0x${'g'.repeat(40)}`, `0X${'a'.repeat(40)}`, `0x${'a'.repeat(41)}`, ''])
      expect(() => checksumAddress(text)).toThrow(InvalidAddressError);
  });
});

describe('createChecksumCache', () => {
  it('answers as checksumAddress, for addresses met again and after it forgot them', () => {
    const checksum = createChecksumCache(4);
    const addresses = Array.from({ length: 10 }, () => `0x${randomBytes(20).toString('hex')}`);
    for (let round = 0; round < 3; round++)
      for (const [i, hex] of addresses.entries()) {
        expect(checksum(hex)).toBe(getAddress(hex));
        expect(checksum(addresses[Math.max(0, i - 2)]!)).toBe(getAddress(addresses[Math.max(0, i - 2)]!));
      }
  });
});
