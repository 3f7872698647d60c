import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getConnInfo } from '@hono/node-server/conninfo';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { Engine } from '../engine.ts';
import { checkoutView } from '../checkout/checkout-view.ts';
import { qrSvg } from '../invoices/qr.ts';
import { errorResponse } from './http-errors.ts';

export interface CheckoutRoutesOptions {
  /** Folder of the built renderer: checkout.html and its assets. */
  uiDir: string;
  /** Requests per client per minute; a phone polling the status uses 30. */
  requestsPerMinute?: number;
  /** Behind a reverse proxy (a public URL is set) the client is the last X-Forwarded-For hop. */
  trustProxy?: boolean;
  now?: () => number;
}

const INVOICE_ID = /^inv_[A-Za-z0-9]{1,60}$/;
const WINDOW_MS = 60_000;

/**
 * Per client, a fixed one-minute window: enough for a customer's tabs, too little to walk
 * invoice ids (which are unguessable anyway) or to load the node through the status poll.
 */
function rateLimit(options: { limit: number; trustProxy: boolean; now: () => number }): MiddlewareHandler {
  const windows = new Map<string, { start: number; count: number }>();
  return async (c, next) => {
    const now = options.now();
    const remote = clientAddress(c, options.trustProxy);
    let window = windows.get(remote);
    if (!window || now - window.start >= WINDOW_MS) {
      // Forget idle clients now and then so the map cannot grow without bound.
      if (windows.size > 10_000) for (const [key, value] of windows) if (now - value.start >= WINDOW_MS) windows.delete(key);
      window = { start: now, count: 0 };
      windows.set(remote, window);
    }
    window.count += 1;
    if (window.count > options.limit) {
      c.header('Retry-After', String(Math.ceil((window.start + WINDOW_MS - now) / 1000)));
      return errorResponse(c, { code: 'RATE_LIMITED', message: 'Too many requests: wait a minute, then reload.' }, 429);
    }
    await next();
  };
}

function clientAddress(c: Context, trustProxy: boolean): string {
  let remote = 'unknown';
  try {
    remote = getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // Not on a Node socket (app.request in tests): one shared bucket.
  }
  const loopback = remote === '127.0.0.1' || remote === '::1' || remote === '::ffff:127.0.0.1';
  const forwarded = c.req.header('x-forwarded-for');
  if (trustProxy && loopback && forwarded) return forwarded.split(',').at(-1)!.trim().slice(0, 64);
  return remote;
}

/**
 * The hosted checkout page for web shops: public (no login; the invoice id is unguessable),
 * showing only what the customer needs (see CheckoutView), under a CSP of its own that allows
 * nothing but this origin's script, style, QR image and status poll.
 */
export function createCheckoutRoutes(engine: Engine, options: CheckoutRoutesOptions): Hono {
  const now = options.now ?? Date.now;
  const app = new Hono();
  const pagePath = join(options.uiDir, 'checkout.html');
  app.use(
    '/pay/*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        baseUri: ["'none'"],
        formAction: ["'none'"],
        frameAncestors: ["'none'"],
      },
      referrerPolicy: 'no-referrer',
      crossOriginResourcePolicy: 'same-origin',
      xFrameOptions: 'DENY',
    }),
    rateLimit({ limit: options.requestsPerMinute ?? 120, trustProxy: options.trustProxy ?? false, now }),
  );
  // The page's script and style, built with the renderer (base './' makes them ./assets/… of /pay/).
  app.use('/pay/assets/*', serveStatic({ root: options.uiDir, rewriteRequestPath: (path) => path.replace(/^\/pay/, '') }));

  const view = (id: string) => (INVOICE_ID.test(id) ? checkoutView(engine.store, id, now()) : undefined);
  const notFound = (c: Context) =>
    errorResponse(
      c,
      { code: 'NOT_FOUND', message: 'There is no payment page at this address. Ask the shop for a new link.' },
      404,
    );

  app.get('/pay/:id', (c) => {
    if (!view(c.req.param('id')))
      return c.html(
        '<!doctype html><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>Not found</title><p>There is no payment page at this address. Ask the shop for a new link.</p>',
        404,
      );
    if (!existsSync(pagePath)) return c.text('The checkout page is not built. Run: npm run build', 503);
    c.header('Cache-Control', 'no-store');
    return c.html(readFileSync(pagePath, 'utf8'));
  });
  app.get('/pay/:id/status.json', (c) => {
    const found = view(c.req.param('id'));
    if (!found) return notFound(c);
    c.header('Cache-Control', 'no-store');
    return c.json(found);
  });
  app.get('/pay/:id/qr.svg', async (c) => {
    const found = view(c.req.param('id'));
    if (!found) return notFound(c);
    c.header('Cache-Control', 'no-store');
    c.header('Content-Type', 'image/svg+xml');
    return c.body(await qrSvg(found.paymentUri));
  });
  app.all('/pay/*', notFound);
  return app;
}
