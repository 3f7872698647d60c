import { describe, expect, it } from 'vitest';
import { newId, randomChars } from './ids.ts';

describe('ids', () => {
  it('are the prefix and 20 Crockford base32 characters', () => {
    expect(newId('inv')).toMatch(/^inv_[0-9A-HJKMNP-TV-Z]{20}$/);
    expect(newId('k', 8)).toMatch(/^k_[0-9A-HJKMNP-TV-Z]{8}$/);
  });

  it('do not repeat across many refills of the random pool', () => {
    // 20 characters each: a 4 KiB pool lasts ~200 ids, so this crosses it ~250 times, at odd offsets too.
    const ids = new Set<string>();
    for (let i = 0; i < 50_000; i++) ids.add(i % 7 === 0 ? `${randomChars(13)}` : newId('evt'));
    expect(ids.size).toBe(50_000);
  });

  it('use every character of the alphabet', () => {
    const seen = new Set(randomChars(4_000));
    expect(seen.size).toBe(32);
  });
});
