import { describe, expect, it } from 'vitest';
import { daysOf, presetPeriod } from './report-periods.ts';

describe('report periods', () => {
  const now = new Date('2026-03-15T23:30:00Z');
  it('presets are UTC days, both ends inclusive', () => {
    expect(presetPeriod('this-month', now)).toEqual({ from: '2026-03-01', to: '2026-03-15' });
    expect(presetPeriod('last-month', now)).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(presetPeriod('last-30-days', now)).toEqual({ from: '2026-02-14', to: '2026-03-15' });
    expect(presetPeriod('last-month', new Date('2026-01-10T00:00:00Z'))).toEqual({ from: '2025-12-01', to: '2025-12-31' });
  });
  it('every day of a period for the chart; none for a reversed or overlong one', () => {
    expect(daysOf({ from: '2026-02-27', to: '2026-03-02' })).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
    expect(daysOf({ from: '2026-03-02', to: '2026-03-01' })).toEqual([]);
    expect(daysOf({ from: '2020-01-01', to: '2026-01-01' })).toEqual([]);
  });
});
