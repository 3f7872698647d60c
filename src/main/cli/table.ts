/**
 * Text that came from outside (a receiver's response body, an error it caused) made safe for a
 * terminal: control characters other than newline and tab could move the cursor or recolour the
 * screen, so they are shown as U+FFFD.
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '\uFFFD');
}

/** One table cell: printable, on one line. */
const cell = (text: string): string => printable(text).replace(/[\n\t]+/g, ' ');

/**
 * Rows as aligned columns under a header, two spaces apart; the last column is not padded, so
 * lines carry no trailing spaces.
 */
export function formatTable(header: string[], rows: string[][]): string {
  const lines = [header, ...rows].map((row) => row.map(cell));
  const widths = header.map((_, column) => Math.max(...lines.map((row) => (row[column] ?? '').length)));
  return lines
    .map((row) =>
      row
        .map((text, column) => (column === row.length - 1 ? text : text.padEnd(widths[column]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** `2026-12-01T09:00:05.123Z` → `2026-12-01T09:00:05Z`: to the second is enough on screen. */
export const shortTime = (iso: string | null | undefined): string => (iso ? iso.replace(/\.\d{3}Z$/, 'Z') : '-');
