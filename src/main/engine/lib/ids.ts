import { randomBytes } from 'node:crypto';

// Crockford base32: no I, L, O, U, so ids read aloud at a counter are unambiguous.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A prefixed random id, e.g. inv_7K3Q9X2M4T8B1V6N5R0P (100 bits of randomness). */
export function newId(prefix: string, length = 20): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += ALPHABET[byte & 31];
  return `${prefix}_${out}`;
}
