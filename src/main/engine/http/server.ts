import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { Engine } from '../engine.ts';
import { errorResponse } from './http-errors.ts';
import { createCheckoutRoutes } from './checkout-routes.ts';
import { createDisplayRoutes } from './display-routes.ts';
import { createMerchantApi } from './merchant-api.ts';
import { createUiBridge } from './ui-bridge.ts';

export interface HttpServerOptions {
  engine: Engine;
  host: string;
  port: number;
  /** Folder of the built renderer (index.html + assets). */
  uiDir?: string;
  /**
   * A login link was just used: here is a fresh one-time token for the next browser (till serve
   * prints it, as it printed the first; without this callback none is made).
   */
  onLoginLinkUsed?: (nextToken: string) => void;
  /**
   * The address customers reach this Till at, through a reverse proxy (till serve --public-url).
   * Requests for that host are answered on the checkout pages (/pay/…) only.
   */
  publicUrl?: string;
}

export const defaultUiDir = (): string => fileURLToPath(new URL('../../../../out/renderer', import.meta.url));

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
// An IPv4 literal only: "127.attacker.example" is a DNS name an attacker controls.
const IPV4_LOOPBACK = /^127(\.\d{1,3}){3}$/;

/**
 * One HTTP server for `till serve`: the merchant API under /api/v1, the UI contract under /ui,
 * and the built renderer as static files.
 */
export function createHttpApp(options: Omit<HttpServerOptions, 'port'>) {
  const uiDir = options.uiDir ?? defaultUiDir();
  const app = new Hono();
  const bridge = createUiBridge(options.engine, { onLoginLinkUsed: options.onLoginLinkUsed });

  // DNS rebinding: a page on evil.example resolving to 127.0.0.1 must not reach a loopback Till.
  const bindsLoopback = LOOPBACK_HOSTS.has(options.host) || options.host === '::1' || IPV4_LOOPBACK.test(options.host);
  const publicHost = options.publicUrl ? new URL(options.publicUrl).host.toLowerCase() : undefined;
  app.use('*', async (c, next) => {
    const rawHost = (c.req.header('host') ?? '').toLowerCase();
    const hostHeader = rawHost.replace(/:\d+$/, '');
    if (publicHost && (rawHost === publicHost || hostHeader === publicHost)) {
      // The internet sees the checkout pages, never the UI, its login links or the merchant API.
      if (c.req.path.startsWith('/pay/')) return next();
      return errorResponse(c, { code: 'NOT_FOUND', message: 'Only payment pages are served at this address.' }, 404);
    }
    if (bindsLoopback && !LOOPBACK_HOSTS.has(hostHeader) && !IPV4_LOOPBACK.test(hostHeader)) {
      return errorResponse(
        c,
        { code: 'FORBIDDEN', message: `Host ${hostHeader.slice(0, 100)} is not allowed; use http://127.0.0.1.` },
        403,
      );
    }
    await next();
  });
  // Before the UI's headers: the checkout pages set a stricter CSP of their own.
  app.route('/', createCheckoutRoutes(options.engine, { uiDir, trustProxy: publicHost !== undefined }));
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'none'"],
      },
      referrerPolicy: 'no-referrer',
      crossOriginResourcePolicy: 'same-origin',
    }),
  );

  app.route('/', createDisplayRoutes(options.engine, { uiDir }));
  app.route('/api/v1', createMerchantApi(options.engine));
  app.route('/', bridge.app);

  if (existsSync(uiDir)) {
    app.use('/*', serveStatic({ root: uiDir }));
    app.get('*', serveStatic({ root: uiDir, path: 'index.html' }));
  } else {
    app.get('/', (c) => c.text('The browser UI is not built. Run: npm run build', 503));
  }
  return { app, sessions: bridge.sessions };
}

export async function startHttpServer(
  options: HttpServerOptions,
): Promise<{ server: ServerType; url: string; loginToken: string; close(): Promise<void> }> {
  const { app, sessions } = createHttpApp(options);
  const server = await new Promise<ServerType>((resolve, reject) => {
    const instance = serve({ fetch: app.fetch, hostname: options.host, port: options.port }, () => resolve(instance));
    instance.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    server,
    url: `http://${host}:${port}`,
    loginToken: sessions.loginToken,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        // SSE streams would keep close() waiting forever.
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}
