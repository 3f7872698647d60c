import type { ExceptionStatus, InvoiceStatus } from '../../../shared/domain.ts';

/** 0x1234…abcd: enough to recognise, never enough to mistake for the full address. */
export function shortenMiddle(value: string, head = 6, tail = 4): string {
  if (value.length <= head + tail + 1) return value;
  return `${value.slice(0, head)}…${value.slice(-tail)}`;
}

const dateTime = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
const dateTimeSeconds = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

const thisYear = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

/** Short form for dense lists: the year only when it is not the current one. */
export function formatDateTimeCompact(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return (date.getFullYear() === new Date().getFullYear() ? thisYear : dateTime).format(date);
}

export function formatDateTime(iso: string | null | undefined, withSeconds = false): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return (withSeconds ? dateTimeSeconds : dateTime).format(date);
}

export const statusLabels: Record<InvoiceStatus, string> = {
  pending: 'Pending',
  detected: 'Detected',
  confirmed: 'Confirmed',
  settled: 'Settled',
  expired: 'Expired',
  invalid: 'Invalid',
};

/** In the domain's order (checked by domain-copies.test.ts), without importing zod-backed domain values. */
export const invoiceStatuses = Object.keys(statusLabels) as InvoiceStatus[];

export const exceptionLabels: Record<ExceptionStatus, string> = {
  underpaid: 'Underpaid',
  overpaid: 'Overpaid',
  paid_late: 'Paid late',
};

export function formatDuration(seconds: number): string {
  if (seconds % 86400 === 0) return `${seconds / 86400} ${seconds === 86400 ? 'day' : 'days'}`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

/** "45 s", "12 min", "3 h 5 min", "2 d 4 h": a span of time for lags and ETAs. */
export function formatSpan(totalSeconds: number): string {
  const seconds = Math.max(0, Math.round(totalSeconds));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

/** "just now", "12 s ago", "5 min ago": how long before `nowMs` an ISO time was. */
export function formatAgo(iso: string | null | undefined, nowMs: number): string {
  if (!iso) return 'Never';
  const at = new Date(iso).getTime();
  if (Number.isNaN(at)) return iso;
  const seconds = (nowMs - at) / 1000;
  if (seconds < 2) return 'just now';
  return `${formatSpan(seconds)} ago`;
}

export function formatBlock(block: number | null | undefined): string {
  return block === null || block === undefined ? '—' : block.toLocaleString();
}
