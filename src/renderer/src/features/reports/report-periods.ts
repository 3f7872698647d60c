import type { ReportPeriod } from '../../../../shared/reports.ts';

export type PeriodPreset = 'this-month' | 'last-month' | 'last-30-days' | 'custom';

export const periodPresetLabels: Record<PeriodPreset, string> = {
  'this-month': 'This month',
  'last-month': 'Last month',
  'last-30-days': 'Last 30 days',
  custom: 'Custom',
};

const DAY_MS = 86_400_000;
const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * The days a preset covers, both inclusive, in UTC like the engine's days: "this month" for a
 * shop in UTC+2 starts at 02:00 local on the 1st, the same boundary as the CSV export's.
 */
export function presetPeriod(preset: Exclude<PeriodPreset, 'custom'>, now: Date): ReportPeriod {
  const today = day(now.getTime());
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  switch (preset) {
    case 'this-month':
      return { from: day(Date.UTC(year, month, 1)), to: today };
    case 'last-month':
      return { from: day(Date.UTC(year, month - 1, 1)), to: day(Date.UTC(year, month, 1) - DAY_MS) };
    case 'last-30-days':
      return { from: day(now.getTime() - 29 * DAY_MS), to: today };
  }
}

/** Every day of the period, oldest first; empty past `limit` days (the chart then shows only days with payments). */
export function daysOf(period: ReportPeriod, limit = 400): string[] {
  const start = Date.parse(`${period.from}T00:00:00Z`);
  const end = Date.parse(`${period.to}T00:00:00Z`);
  if (!(end >= start) || (end - start) / DAY_MS + 1 > limit) return [];
  const days: string[] = [];
  for (let ms = start; ms <= end; ms += DAY_MS) days.push(day(ms));
  return days;
}
