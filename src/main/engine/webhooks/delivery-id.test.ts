import { describe, expect, it } from 'vitest';
import { newDeliveryId } from './delivery-id.ts';

describe('delivery ids', () => {
  it('look like every Till id and sort by the time they were made', () => {
    const ids = [0, 1, 31, 32, Date.parse('2026-12-01T00:00:00Z'), Date.parse('2026-12-01T00:00:00.001Z'), 2 ** 45 - 1].map(
      (ms) => newDeliveryId(ms),
    );
    for (const id of ids) expect(id).toMatch(/^whd_[0-9A-HJKMNP-TV-Z]{20}$/);
    expect([...ids].sort()).toEqual(ids);
    expect(ids[4]!.slice(0, 13)).toBe('whd_1M8QEDC00');
  });

  it('differ when made in the same millisecond', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newDeliveryId(1_764_547_200_000)));
    expect(ids.size).toBe(1000);
  });
});
