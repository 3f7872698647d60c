import { isCalendarDay, nextDay } from '../../../../shared/calendar-day.ts';

/**
 * A period as a person picks it: whole UTC days (the CSV's times are UTC), both ends included,
 * either end empty for "since the start" or "until now". The engine's range is from-inclusive,
 * to-exclusive, so `through` becomes the next day.
 */
export interface ExportPeriod {
  from: string;
  through: string;
}

export type ExportQuery = { from?: string; to?: string };

export function periodQuery(period: ExportPeriod): { ok: true; query: ExportQuery } | { ok: false; error: string } {
  const from = period.from.trim();
  const through = period.through.trim();
  for (const [label, day] of [
    ['start', from],
    ['end', through],
  ] as const) {
    if (day && !isCalendarDay(day)) return { ok: false, error: `The ${label} day ${day} does not exist.` };
  }
  if (from && through && from > through) return { ok: false, error: 'The period starts after it ends.' };
  const query: ExportQuery = {};
  if (from) query.from = from;
  if (through) query.to = nextDay(through);
  return { ok: true, query };
}

/** ?from=…&to=… for the download route; empty for all time. */
export function querySearch(query: ExportQuery): string {
  const search = new URLSearchParams();
  if (query.from) search.set('from', query.from);
  if (query.to) search.set('to', query.to);
  const text = search.toString();
  return text ? `?${text}` : '';
}

const utcDay = (year: number, month: number, date: number): string =>
  new Date(Date.UTC(year, month, date)).toISOString().slice(0, 10);

/** The periods a bookkeeper asks for most, relative to today (UTC). */
export function presetPeriods(now: Date): { label: string; period: ExportPeriod }[] {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  const today = utcDay(year, month, now.getUTCDate());
  return [
    { label: 'This month', period: { from: utcDay(year, month, 1), through: today } },
    { label: 'Last month', period: { from: utcDay(year, month - 1, 1), through: utcDay(year, month, 0) } },
    { label: 'This year', period: { from: utcDay(year, 0, 1), through: today } },
    { label: 'Last year', period: { from: utcDay(year - 1, 0, 1), through: utcDay(year - 1, 11, 31) } },
  ];
}
