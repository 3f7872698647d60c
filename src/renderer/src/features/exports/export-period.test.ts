import { describe, expect, it } from 'vitest';
import { periodQuery, presetPeriods, querySearch } from './export-period.ts';

describe('export period', () => {
  it('includes the last day: through the 30th is to the 1st of the next month', () => {
    expect(periodQuery({ from: '2026-11-01', through: '2026-11-30' })).toEqual({
      ok: true,
      query: { from: '2026-11-01', to: '2026-12-01' },
    });
    expect(periodQuery({ from: '', through: '2026-12-31' })).toEqual({ ok: true, query: { to: '2027-01-01' } });
    expect(periodQuery({ from: '', through: '' })).toEqual({ ok: true, query: {} });
  });

  it('refuses a day that does not exist and a period that ends before it starts', () => {
    expect(periodQuery({ from: '2026-11-31', through: '' })).toEqual({
      ok: false,
      error: 'The start day 2026-11-31 does not exist.',
    });
    expect(periodQuery({ from: '2026-12-02', through: '2026-12-01' })).toEqual({
      ok: false,
      error: 'The period starts after it ends.',
    });
    // One day is a period.
    expect(periodQuery({ from: '2026-12-01', through: '2026-12-01' }).ok).toBe(true);
  });

  it('writes the query string only for the ends given', () => {
    expect(querySearch({ from: '2026-11-01', to: '2026-12-01' })).toBe('?from=2026-11-01&to=2026-12-01');
    expect(querySearch({ to: '2026-12-01' })).toBe('?to=2026-12-01');
    expect(querySearch({})).toBe('');
  });

  it('offers this and last month and year, across a year boundary', () => {
    const presets = Object.fromEntries(presetPeriods(new Date('2027-01-15T23:00:00Z')).map((p) => [p.label, p.period]));
    expect(presets).toEqual({
      'This month': { from: '2027-01-01', through: '2027-01-15' },
      'Last month': { from: '2026-12-01', through: '2026-12-31' },
      'This year': { from: '2027-01-01', through: '2027-01-15' },
      'Last year': { from: '2026-01-01', through: '2026-12-31' },
    });
    expect(presetPeriods(new Date('2026-03-10T00:00:00Z'))[1]!.period).toEqual({ from: '2026-02-01', through: '2026-02-28' });
  });
});
