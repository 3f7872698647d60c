/**
 * `scheme://host[:port]` of a URL, or '' when it does not parse. Not `URL.origin`: WHATWG URL
 * reports the opaque origin "null" for non-special schemes such as app://, while Chromium
 * treats our registered standard scheme as a real tuple origin.
 */
export function originOf(url: string | undefined | null): string {
  if (!url) return '';
  try {
    const parsed = new URL(url);
    if (parsed.host === '') return '';
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return '';
  }
}
