import { keccak_256 } from '@noble/hashes/sha3.js';
import { getAddress } from 'viem';

// EIP-55 (https://eips.ethereum.org/EIPS/eip-55): a hex letter of an address is upper case when
// the matching nibble of keccak-256 over the 40 lower-case hex characters is 8 or more. viem's
// getAddress does the same, but splits and joins arrays and goes through two LRU caches on every
// call, which was most of an export's time; the hash itself is @noble/hashes', as in viem.

const HEX_ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const LOWER_A = 0x61;

/** The 40 hex characters to hash, and the 42 characters answered; reused, as nothing here yields. */
const message = new Uint8Array(40);
const answer = Buffer.alloc(42);
answer.write('0x', 0, 'latin1');

/**
 * `text` EIP-55 checksummed, exactly as viem's getAddress gives it; anything that is not 0x and
 * 40 hex digits goes to getAddress, so it throws the same InvalidAddressError.
 */
export function checksumAddress(text: string): string {
  if (!HEX_ADDRESS.test(text)) return getAddress(text);
  for (let i = 0; i < 40; i++) {
    const code = text.charCodeAt(i + 2);
    // 'A'..'F' to 'a'..'f'; digits have the 0x20 bit set already.
    message[i] = code | 0x20;
  }
  const hash = keccak_256(message);
  for (let i = 0; i < 40; i++) {
    const code = message[i]!;
    const nibble = i % 2 === 0 ? hash[i >> 1]! >> 4 : hash[i >> 1]! & 0x0f;
    answer[i + 2] = code >= LOWER_A && nibble >= 8 ? code - 0x20 : code;
  }
  return answer.toString('latin1');
}

/**
 * checksumAddress with a memory of up to `size` addresses, keyed by the text as stored (the
 * answer depends on nothing else): an export meets its token addresses on every row, a deposit
 * address on each of its payments. When full it forgets them all at once, which costs a few
 * recomputations where evicting one at a time cost a Map iterator on every unknown address.
 */
export function createChecksumCache(size: number): (text: string) => string {
  const known = new Map<string, string>();
  return (text) => {
    let checksummed = known.get(text);
    if (checksummed === undefined) {
      checksummed = checksumAddress(text);
      if (known.size >= size) known.clear();
      known.set(text, checksummed);
    }
    return checksummed;
  };
}
