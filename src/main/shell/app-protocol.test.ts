import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appUrlToPath, createAppProtocolHandler, mimeTypeOf } from './app-protocol.ts';

const CSP = "default-src 'self'";
let base: string;
let root: string;
let handle: (request: Request) => Promise<Response>;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'till-app-protocol-'));
  root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Till</title>');
  writeFileSync(join(root, 'assets', 'index-abc.js'), 'export {};');
  writeFileSync(join(root, 'assets', 'index-abc.css'), 'body{}');
  writeFileSync(join(root, 'assets', 'font.woff2'), 'x');
  writeFileSync(join(base, 'secret.txt'), 'outside');
  symlinkSync(join(base, 'secret.txt'), join(root, 'assets', 'link.txt'));
  handle = createAppProtocolHandler({ root, contentSecurityPolicy: CSP });
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

const get = (url: string, method = 'GET') => handle(new Request(url, { method }));

describe('app:// protocol', () => {
  it('serves index.html at the root with its MIME type and the CSP', async () => {
    for (const url of ['app://till/', 'app://till/index.html']) {
      const response = await get(url);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('content-security-policy')).toBe(CSP);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await response.text()).toContain('<title>Till</title>');
    }
  });

  it('serves assets with their MIME types', async () => {
    expect((await get('app://till/assets/index-abc.js')).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await get('app://till/assets/index-abc.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await get('app://till/assets/font.woff2')).headers.get('content-type')).toBe('font/woff2');
    expect(mimeTypeOf('x.unknownext')).toBe('application/octet-stream');
  });

  it('refuses path traversal in every spelling', async () => {
    for (const url of [
      'app://till/%2e%2e/secret.txt',
      'app://till/..%2fsecret.txt',
      'app://till/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      'app://till/..%5csecret.txt',
      'app://till/%00index.html',
      'app://till/%E0%A4%A',
    ]) {
      const response = await get(url);
      expect([403, 404], url).toContain(response.status);
      expect(await response.text(), url).not.toBe('outside');
    }
    expect(appUrlToPath(root, 'app://till/..%2fsecret.txt')).toBeNull();
    expect(appUrlToPath(root, 'app://till/%00')).toBeNull();
  });

  it('refuses a symlink that leads out of the renderer folder', async () => {
    const response = await get('app://till/assets/link.txt');
    expect(response.status).toBe(403);
  });

  it('refuses other hosts and methods', async () => {
    expect((await get('app://evil/index.html')).status).toBe(403);
    expect((await get('app://till/index.html', 'POST')).status).toBe(405);
  });

  it('falls back to index.html for extensionless routes, never for missing assets', async () => {
    const route = await get('app://till/invoices/inv_1');
    expect(route.status).toBe(200);
    expect(route.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect((await get('app://till/assets/missing.js')).status).toBe(404);
  });

  it('answers HEAD without a body', async () => {
    const response = await get('app://till/index.html', 'HEAD');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });
});
