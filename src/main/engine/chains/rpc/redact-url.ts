/**
 * RPC URLs often carry the API key in the path (`/v2/<key>`, `/v3/<key>`, `/<key>/`) or the query
 * (`?apikey=…`). What Till shows or logs keeps the scheme, host and port and masks what looks
 * like a key.
 */
export const MASK = '••••';

const SECRET_QUERY_NAMES = /^(?:api[-_]?key|key|token|access[-_]?token|auth|secret|password|x-api-key)$/i;

/** Long runs of letters and digits (and `-`/`_`) with a digit in them, or very long ones: keys, not words. */
function looksLikeKey(text: string): boolean {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return text.length >= 32;
  if (text.length >= 24) return true;
  return text.length >= 12 && /\d/.test(text) && /[A-Za-z]/.test(text);
}

export function redactUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return MASK;
  }
  const origin = `${url.protocol}//${url.host}`;
  const path = url.pathname
    .split('/')
    .map((segment) => (looksLikeKey(decodeURIComponent(segment)) ? MASK : segment))
    .join('/');
  const query = [...url.searchParams]
    .map(([name, value]) => `${name}=${SECRET_QUERY_NAMES.test(name) || looksLikeKey(value) ? MASK : value}`)
    .join('&');
  return `${origin}${path === '/' ? '' : path}${query ? `?${query}` : ''}`;
}

/** Replaces every occurrence of the raw URL (and its key-bearing parts) in a message with the redacted form. */
export function redactText(text: string, raw: string): string {
  let out = text.split(raw).join(redactUrl(raw));
  try {
    const url = new URL(raw);
    for (const segment of url.pathname.split('/')) if (looksLikeKey(segment)) out = out.split(segment).join(MASK);
    for (const [, value] of url.searchParams) if (value.length >= 8) out = out.split(value).join(MASK);
    if (url.password) out = out.split(url.password).join(MASK);
  } catch {
    // not a URL: nothing more to hide
  }
  return out;
}
