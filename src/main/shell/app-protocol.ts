import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { CustomScheme } from 'electron';

/**
 * The renderer is served from app://till/, never from file://. A standard, secure scheme gives
 * the UI a real origin (so 'self' in the CSP, the IPC sender check and storage all key on
 * app://till) and keeps it away from file:// privileges.
 *
 * Deliberately not `corsEnabled`: leaving it unset keeps app:// unreadable cross-origin, and
 * not `bypassCSP`: the CSP applies to our own pages too.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'till';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;
/** The customer display window's page (the same display.html till serve shows a tablet). */
export const APP_DISPLAY_URL = `${APP_ORIGIN}/display.html`;

export const appScheme: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
};

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
};

export function mimeTypeOf(filePath: string): string {
  return MIME_TYPES[extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

/** True when `child` is `root` itself or lies inside it (lexically; no symlinks resolved). */
function isInside(root: string, child: string): boolean {
  const rel = relative(root, child);
  return rel !== '' && rel.split(sep)[0] !== '..' && !isAbsolute(rel);
}

/**
 * Maps an app:// URL to a file under `root`, or null when the URL must be refused: another
 * host, an undecodable path, a NUL byte, or anything that resolves outside `root` (`..`,
 * encoded `%2e%2e%2f`, backslashes on Windows, absolute paths).
 */
export function appUrlToPath(root: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0')) return null;
  if (pathname === '' || pathname === '/') pathname = '/index.html';
  const file = resolve(root, `.${pathname}`);
  return isInside(root, file) ? file : null;
}

async function isRegularFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

export interface AppProtocolHandlerOptions {
  /** The built renderer (out/renderer). */
  root: string;
  contentSecurityPolicy: string;
}

/**
 * The `protocol.handle('app', …)` handler. Uses only web-standard Request/Response, so it runs
 * (and is tested) in plain Node. Extensionless paths that match no file fall back to
 * index.html so a history-API route survives a reload; files with an extension never do, so a
 * missing asset is a 404 rather than HTML served as JavaScript.
 */
export function createAppProtocolHandler(options: AppProtocolHandlerOptions): (request: Request) => Promise<Response> {
  const root = resolve(options.root);
  const realRoot = realpath(root).catch(() => root);
  const headers = (file: string): Record<string, string> => ({
    'Content-Type': mimeTypeOf(file),
    'Content-Security-Policy': options.contentSecurityPolicy,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cache-Control': 'no-cache',
  });
  const refuse = (status: number, text: string): Response =>
    new Response(text, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' } });

  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, 'Method not allowed');
    let file = appUrlToPath(root, request.url);
    if (file === null) return refuse(403, 'Forbidden');
    if (!(await isRegularFile(file))) {
      if (extname(file) !== '') return refuse(404, 'Not found');
      file = join(root, 'index.html');
      if (!(await isRegularFile(file))) return refuse(404, 'Not found');
    }
    // A symlink inside out/renderer must not lead out of it either.
    let real: string;
    try {
      real = await realpath(file);
    } catch {
      return refuse(404, 'Not found');
    }
    if (!isInside(await realRoot, real)) return refuse(403, 'Forbidden');
    const body = request.method === 'HEAD' ? null : await readFile(real);
    return new Response(body, { status: 200, headers: headers(real) });
  };
}
