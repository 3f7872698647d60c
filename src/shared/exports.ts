import { z } from 'zod';
import { isCalendarDay } from './calendar-day.ts';

/** What can be exported as CSV (till export, GET /api/v1/exports/{kind}.csv). */
export const ExportKinds = ['invoices', 'payments', 'sweeps'] as const;
export type ExportKind = (typeof ExportKinds)[number];

/** A day (2026-11-01, midnight UTC) or an ISO-8601 time with its zone; normalized to the store's form. */
const ExportTime = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2}))?$/,
    'a time is a day such as 2026-11-01 or an ISO-8601 time such as 2026-11-01T00:00:00Z',
  )
  .transform((text, ctx) => {
    const ms = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text);
    if (Number.isNaN(ms) || !isCalendarDay(text.slice(0, 10))) {
      ctx.addIssue({ code: 'custom', message: `${text} is not a real date` });
      return z.NEVER;
    }
    return new Date(ms).toISOString();
  });

const rangeFields = { from: ExportTime.optional(), to: ExportTime.optional() };
const ordered = (range: { from?: string; to?: string }): boolean => !range.from || !range.to || range.from < range.to;
const ORDER_MESSAGE = { message: 'from must be before to' };

/** `from` inclusive, `to` exclusive: last month is from=2026-11-01&to=2026-12-01. */
export const ExportRangeSchema = z.strictObject(rangeFields).refine(ordered, ORDER_MESSAGE);

/** The desktop app's "Export": the file itself is chosen in the host's save dialog, never by the UI. */
export const ExportSaveInputSchema = z.strictObject({ kind: z.enum(ExportKinds), ...rangeFields }).refine(ordered, ORDER_MESSAGE);

export type ExportSaveResult = { saved: true; path: string; rows: number } | { saved: false };

/**
 * till-payments-2026-11-01-to-2026-11-30.csv: the file name a download or a save dialog suggests.
 * `to` is exclusive, so a period ending at midnight names its last whole day; an open end is
 * named by `today` (to) or left out (from).
 */
export function exportFileName(kind: ExportKind, range: { from?: string; to?: string }, today: string): string {
  const day = (iso: string) => iso.slice(0, 10);
  const lastDay = (iso: string) =>
    iso.slice(10) === 'T00:00:00.000Z' ? day(new Date(Date.parse(iso) - 86_400_000).toISOString()) : day(iso);
  const to = range.to ? lastDay(range.to) : day(today);
  return range.from ? `till-${kind}-${day(range.from)}-to-${to}.csv` : `till-${kind}-to-${to}.csv`;
}
