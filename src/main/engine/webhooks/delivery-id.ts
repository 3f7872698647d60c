import { ID_ALPHABET as ALPHABET, randomChars } from '../lib/ids.ts';

const TIME_CHARS = 9; // 45 bits of milliseconds: until the year 3084
const RANDOM_CHARS = 11; // 55 bits

/**
 * A delivery id, `whd_` + 20 Crockford base32 characters like every Till id, but time-ordered:
 * the first 9 are the creation time in milliseconds, the other 11 random. Deliveries, and every
 * attempt of each, are indexed by delivery id; ids that grow with time land at the end of those
 * indexes (a few pages, hot in the cache) instead of on a random page each — with random ids,
 * each attempt row's index entry was one more page written to the WAL per commit.
 *
 * @example
 * newDeliveryId(Date.parse('2026-12-01T00:00:00Z')) // 'whd_1M8QEDC00' + 11 random characters
 */
export function newDeliveryId(nowMs: number = Date.now()): string {
  let time = '';
  let rest = Math.max(0, Math.floor(nowMs));
  for (let i = 0; i < TIME_CHARS; i++) {
    time = ALPHABET[rest % 32]! + time;
    rest = Math.floor(rest / 32);
  }
  return `whd_${time}${randomChars(RANDOM_CHARS)}`;
}
