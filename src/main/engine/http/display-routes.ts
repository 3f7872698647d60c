import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Hono } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { Engine } from '../engine.ts';
import { createCustomerDisplay, DISPLAY_SESSION_TTL_MS } from '../display/customer-display.ts';
import { qrSvg } from '../invoices/qr.ts';
import { errorResponse } from './http-errors.ts';

const COOKIE = 'till_display';

/**
 * The customer display in a browser (a tablet facing the customer): /display shows the invoice
 * at the counter or the shop's name. A screen gets in only through a one-time pairing link made
 * on the merchant's screen; its session cookie opens /display/state.json and the QR code, nothing
 * of the UI or the API.
 */
export function createDisplayRoutes(engine: Engine, options: { uiDir: string; now?: () => number }): Hono {
  const now = options.now ?? Date.now;
  const display = createCustomerDisplay(engine.store);
  const app = new Hono();
  const pagePath = join(options.uiDir, 'display.html');
  const paired = (c: Parameters<typeof getCookie>[0]) => display.isSession(getCookie(c, COOKIE), now());

  app.get('/display', (c) => {
    if (!existsSync(pagePath)) return c.text('The customer display is not built. Run: npm run build', 503);
    c.header('Cache-Control', 'no-store');
    return c.html(readFileSync(pagePath, 'utf8'));
  });
  app.get('/display/pair', (c) => {
    const session = display.redeem(c.req.query('token') ?? '', now());
    if (!session)
      return c.html(
        '<!doctype html><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>Pairing</title><p>This pairing link was used already or has expired. Make a new one on the merchant’s screen: Charge → Customer display → Pair a screen.</p>',
        403,
      );
    setCookie(c, COOKIE, session, {
      path: '/display',
      httpOnly: true,
      sameSite: 'Strict',
      maxAge: Math.floor(DISPLAY_SESSION_TTL_MS / 1000),
    });
    // The token leaves the address bar (and the history) at once.
    return c.redirect('/display', 303);
  });
  app.get('/display/state.json', (c) => {
    if (!paired(c))
      return errorResponse(
        c,
        { code: 'UNAUTHORIZED', message: 'This screen is not paired. Open a pairing link from the merchant’s screen.' },
        401,
      );
    c.header('Cache-Control', 'no-store');
    const state = display.state(now());
    const invoice = state.invoice && { ...state.invoice, qrUrl: `/display/qr.svg?due=${state.invoice.amountDue}` };
    return c.json({ ...state, invoice });
  });
  app.get('/display/qr.svg', async (c) => {
    if (!paired(c)) return errorResponse(c, { code: 'UNAUTHORIZED', message: 'This screen is not paired.' }, 401);
    const invoice = display.state(now()).invoice;
    if (!invoice) return errorResponse(c, { code: 'NOT_FOUND', message: 'Nothing on display.' }, 404);
    c.header('Cache-Control', 'no-store');
    c.header('Content-Type', 'image/svg+xml');
    return c.body(await qrSvg(invoice.paymentUri));
  });
  return app;
}
