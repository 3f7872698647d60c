/**
 * An RPC or webhook URL with what may be a credential masked: user and password, query values,
 * and path segments that look like keys (long, or mixed letters and digits). Scheme, host, port
 * and plain path words stay, so a support reader can still tell which provider it is.
 */
export function redactUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return '(not a URL)';
  }
  const userinfo = url.username || url.password ? '***@' : '';
  const path = url.pathname
    .split('/')
    .map((segment) =>
      segment.length >= 16 || (/\d/.test(segment) && /[a-z]/i.test(segment) && segment.length >= 8) ? '***' : segment,
    )
    .join('/');
  const query = [...url.searchParams.keys()].map((key) => `${key}=***`).join('&');
  return `${url.protocol}//${userinfo}${url.host}${path}${query ? `?${query}` : ''}`;
}

/** Every URL inside a text (a log line), redacted. */
export const redactUrlsIn = (text: string): string =>
  text.replace(/\b(?:https?|wss?):\/\/[^\s"'<>\\]+/g, (match) => redactUrl(match));
