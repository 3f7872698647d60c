import { getAddress, isAddress } from 'viem';
import { TillError } from './errors.ts';
import type { ErrorCode } from '../../../shared/errors.ts';

/**
 * EIP-55 form of an address. A mixed-case address whose checksum fails is most likely a typo
 * (that is what EIP-55 is for), so it is refused rather than silently "fixed".
 */
export function checksummedAddress(address: string, what: string, code: ErrorCode = 'VALIDATION_FAILED'): `0x${string}` {
  if (!isAddress(address, { strict: true })) {
    throw new TillError(
      code,
      `The ${what} ${address.slice(0, 42)} has a wrong EIP-55 checksum (its mix of upper and lower case). Copy it again from its source.`,
    );
  }
  return getAddress(address);
}
