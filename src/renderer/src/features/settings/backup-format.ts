const UNITS = ['bytes', 'KB', 'MB', 'GB', 'TB'];

/** 1,234,567 bytes as "1.2 MB" (powers of 1024, as file managers show a database's size). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${bytes.toLocaleString()} ${bytes === 1 ? 'byte' : 'bytes'}`;
  return `${value.toLocaleString(undefined, { maximumFractionDigits: value < 10 ? 1 : 0 })} ${UNITS[unit]}`;
}

/**
 * The command that restores a backup, the file quoted for a shell when it needs it: restore is
 * CLI-only because it refuses while Till runs on the folder (this very app).
 */
export function restoreCommand(file: string): string {
  return /^[\w./:\\-]+$/.test(file) ? `till restore ${file}` : `till restore '${file.replaceAll("'", "'\\''")}'`;
}

/** The keep-N field's text as a number of daily backups, or why not. */
export function parseKeep(text: string): { ok: true; keep: number } | { ok: false; error: string } {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return { ok: false, error: 'Enter a whole number of days (0 turns daily backups off).' };
  const keep = Number(trimmed);
  if (keep > 365) return { ok: false, error: 'Keep at most 365 daily backups.' };
  return { ok: true, keep };
}
