/**
 * The only way Till hands a URL to the operating system. Accepts absolute http(s) URLs without
 * credentials; everything else (file:, javascript:, custom protocol handlers such as ms-msdt:,
 * smb: or an app's own deep links) is refused, because shell.openExternal would launch whatever
 * the OS associates with the scheme.
 */
export function externalUrlOrNull(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.username !== '' || url.password !== '') return null;
  if (url.hostname === '') return null;
  return url.href;
}

export interface OpenExternalDependencies {
  openExternal(url: string): Promise<void>;
  onRefused?(raw: string): void;
  onError?(url: string, error: unknown): void;
}

/** Returns whether the URL was handed to the OS. */
export function openExternalSafely(raw: string, deps: OpenExternalDependencies): boolean {
  const url = externalUrlOrNull(raw);
  if (url === null) {
    deps.onRefused?.(raw);
    return false;
  }
  deps.openExternal(url).catch((error: unknown) => deps.onError?.(url, error));
  return true;
}
