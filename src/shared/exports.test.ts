import { describe, expect, it } from 'vitest';
import { isCalendarDay } from './calendar-day.ts';
import { exportFileName, ExportRangeSchema, ExportSaveInputSchema } from './exports.ts';

const parse = (range: { from?: string; to?: string }) => ExportRangeSchema.safeParse(range);

describe('export range', () => {
  it('refuses days that do not exist, whatever Date.parse makes of them', () => {
    for (const day of ['2026-11-31', '2026-02-29', '2026-02-30', '2026-04-31', '2026-13-01', '2026-00-10', '2026-01-00']) {
      expect(parse({ from: day }).success, day).toBe(false);
      expect(parse({ to: `${day}T10:00:00Z` }).success, `${day}T10:00:00Z`).toBe(false);
    }
    expect(isCalendarDay('2028-02-29')).toBe(true);
    expect(isCalendarDay('2100-02-29')).toBe(false);
  });

  it('normalizes days and zoned times to UTC, from inclusive before to exclusive', () => {
    expect(parse({ from: '2026-11-01', to: '2026-12-01' })).toEqual({
      success: true,
      data: { from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' },
    });
    expect(parse({ from: '2026-11-30T23:30:00-02:00' }).data).toEqual({ from: '2026-12-01T01:30:00.000Z' });
    expect(parse({}).data).toEqual({});
  });

  it('refuses an empty or backward period, and times without a zone', () => {
    expect(parse({ from: '2026-12-01', to: '2026-12-01' }).success).toBe(false);
    expect(parse({ from: '2026-12-02', to: '2026-12-01' }).success).toBe(false);
    expect(parse({ from: '2026-12-01T10:00' }).success).toBe(false);
    expect(parse({ from: 'yesterday' }).success).toBe(false);
  });
});

describe('export file name', () => {
  const today = '2026-12-07T05:00:00.000Z';
  it('names the last whole day of a period that ends at midnight', () => {
    const range = parse({ from: '2026-11-01', to: '2026-12-01' }).data!;
    expect(exportFileName('payments', range, today)).toBe('till-payments-2026-11-01-to-2026-11-30.csv');
  });
  it('names today for an open end and leaves an open start out', () => {
    expect(exportFileName('sweeps', { from: '2026-11-01T00:00:00.000Z' }, today)).toBe(
      'till-sweeps-2026-11-01-to-2026-12-07.csv',
    );
    expect(exportFileName('invoices', {}, today)).toBe('till-invoices-to-2026-12-07.csv');
    expect(exportFileName('invoices', { to: '2026-12-05T12:00:00.000Z' }, today)).toBe('till-invoices-to-2026-12-05.csv');
  });
});

describe('export save input', () => {
  it('takes a kind and a range, and no file path (the host chooses it)', () => {
    expect(ExportSaveInputSchema.safeParse({ kind: 'payments', from: '2026-11-01' }).success).toBe(true);
    expect(ExportSaveInputSchema.safeParse({ kind: 'refunds' }).success).toBe(false);
    expect(ExportSaveInputSchema.safeParse({ kind: 'payments', path: '/etc/passwd' }).success).toBe(false);
    expect(ExportSaveInputSchema.safeParse({ kind: 'payments', from: '2026-11-31' }).success).toBe(false);
  });
});
