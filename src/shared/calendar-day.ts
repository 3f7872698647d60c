/**
 * Whether YYYY-MM-DD names a day that exists: V8's Date.parse rolls 2026-11-31 over to
 * December 1st instead of refusing it, so the fields are checked against the day they make.
 * Free of zod, for the renderer's date fields too.
 */
export function isCalendarDay(day: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return false;
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const made = new Date(Date.UTC(year, month - 1, date));
  return made.getUTCFullYear() === year && made.getUTCMonth() === month - 1 && made.getUTCDate() === date;
}

/** The day after a YYYY-MM-DD day, in the calendar (UTC, so no daylight-saving gaps). */
export function nextDay(day: string): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, date + 1)).toISOString().slice(0, 10);
}
