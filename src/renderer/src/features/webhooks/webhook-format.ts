import { BridgeError } from '../../transport/index.ts';

const reasons: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No Content',
  301: 'Moved Permanently',
  302: 'Found',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  410: 'Gone',
  413: 'Payload Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** "HTTP 500 Internal Server Error", or the network error when there was no answer. */
export function formatOutcome(httpStatus: number | null, error: string | null): string {
  if (httpStatus !== null) return `HTTP ${httpStatus}${reasons[httpStatus] ? ` ${reasons[httpStatus]}` : ''}`;
  return error ?? '—';
}

/** Success over the last 24 h: "100 %", "97.5 %"; "—" without attempts. */
export function formatRate(rate: number | null): string {
  if (rate === null) return '—';
  const percent = rate * 100;
  return `${percent > 0 && percent < 100 && percent % 1 !== 0 ? percent.toFixed(1) : Math.round(percent)} %`;
}

export function formatMs(ms: number | null): string {
  if (ms === null) return '—';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

const compactSeconds = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

const timeOnly = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** "Dec 1, 08:05:59": delivery logs are read to the second. */
export function formatTimeSeconds(iso: string | null): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : compactSeconds.format(date);
}

/** "08:05:59" today, "Nov 30, 08:05:59" before: for dense rows. */
export function formatLogTime(iso: string, nowMs: number): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toDateString() === new Date(nowMs).toDateString() ? timeOnly.format(date) : compactSeconds.format(date);
}

/** "127.0.0.1:38223/till": the URL without its scheme, for narrow columns (the full one goes in a title). */
export function shortUrl(url: string): string {
  return url.replace(/^https?:\/\//i, '');
}

/** "in 8 s", "in 4 min", or the time when it is further away. */
export function formatUntil(iso: string | null, nowMs: number): string {
  if (!iso) return '—';
  const seconds = Math.round((Date.parse(iso) - nowMs) / 1000);
  if (Number.isNaN(seconds)) return iso;
  if (seconds <= 0) return 'now';
  if (seconds < 60) return `in ${seconds} s`;
  if (seconds < 3600) return `in ${Math.round(seconds / 60)} min`;
  return formatTimeSeconds(iso);
}

/** The request body as people read it; the raw text when it is not JSON. */
export function prettyJson(raw: string): string {
  try {
    return JSON.stringify(JSON.parse(raw), null, 2);
  } catch {
    return raw;
  }
}

/**
 * The engine's validation messages by top-level field ("url", "events"), from a VALIDATION_FAILED
 * error's details; null when the error names no field, so the caller shows its message instead.
 */
export function fieldErrors(error: unknown): Record<string, string> | null {
  if (!(error instanceof BridgeError) || error.code !== 'VALIDATION_FAILED' || !Array.isArray(error.details)) return null;
  const found: Record<string, string> = {};
  for (const detail of error.details as { path?: unknown; message?: unknown }[]) {
    if (typeof detail.path !== 'string' || typeof detail.message !== 'string' || !detail.path) continue;
    const field = detail.path.split(/[.[]/)[0]!;
    // The schema's messages are clauses ("must be a URL such as …"); at a field they read as sentences.
    found[field] ??= detail.message.charAt(0).toUpperCase() + detail.message.slice(1);
  }
  return Object.keys(found).length > 0 ? found : null;
}
