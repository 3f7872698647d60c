import { randomFillSync } from 'node:crypto';

// Crockford base32: no I, L, O, U, so ids read aloud at a counter are unambiguous.
export const ID_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

// Random bytes drawn a few kilobytes at a time: a webhook storm makes ids by the thousand a
// second, and randomBytes(20) per id was a system call and a fresh buffer each. Ids name rows;
// they are not secrets (tokens and keys draw their own bytes).
const pool = new Uint8Array(4096);
let used = pool.length;

/** `length` random Crockford base32 characters (5 bits each). */
export function randomChars(length: number): string {
  if (used + length > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  let out = '';
  for (let end = used + length; used < end; used++) out += ID_ALPHABET[pool[used]! & 31];
  return out;
}

/** A prefixed random id, e.g. inv_7K3Q9X2M4T8B1V6N5R0P (100 bits of randomness). */
export function newId(prefix: string, length = 20): string {
  return `${prefix}_${randomChars(length)}`;
}
