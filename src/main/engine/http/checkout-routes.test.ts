import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckoutView } from '../../../shared/checkout.ts';
import { startTestEngine, tempDataDir, type TestEngine } from '../../../../test/fixtures/engine.ts';
import { createHttpApp } from './server.ts';

const PAGE = '<!doctype html><title>Payment</title><script type="module" src="./assets/checkout.js"></script>';
const VIEW_FIELDS = [
  'id',
  'state',
  'shopName',
  'chain',
  'network',
  'token',
  // The shop-currency price the customer was quoted (null for a token amount): theirs to see.
  'price',
  'amount',
  'amountReceived',
  'amountDue',
  'address',
  'paymentUri',
  'qrUrl',
  'expiresAt',
  'now',
  'confirmationsRequired',
  'payments',
  'redirectUrl',
].sort();

describe('hosted checkout page: /pay/{id}', () => {
  let test: TestEngine;
  const ui = tempDataDir('till-checkout-ui-');
  let app: ReturnType<typeof createHttpApp>['app'];
  const get = (path: string, host = '127.0.0.1:7420') => app.request(path, { headers: { host } });

  beforeAll(async () => {
    test = await startTestEngine();
    mkdirSync(join(ui.dir, 'assets'), { recursive: true });
    writeFileSync(join(ui.dir, 'checkout.html'), PAGE);
    writeFileSync(join(ui.dir, 'assets', 'checkout.js'), 'console.log(1)');
    writeFileSync(join(ui.dir, 'index.html'), '<title>Till</title>');
    test.engine.store.settings.set('shop_name', 'Corner Café');
    test.engine.store.settings.set('public_url', 'https://pay.example.com');
    app = createHttpApp({ engine: test.engine, host: '127.0.0.1', uiDir: ui.dir, publicUrl: 'https://pay.example.com' }).app;
  });
  afterAll(async () => {
    await test.close();
    ui.cleanup();
  });

  const create = (extra: Record<string, unknown> = {}) =>
    test.engine.invoke('invoices.create', { chainId: 31337, token: 'USDC', amount: '12.5', ...extra });

  it('the invoice carries checkoutUrl on the public URL and its redirectUrl', async () => {
    const invoice = await create({ redirectUrl: 'https://shop.example.com/orders/1042?paid=1', orderId: 'order-1042' });
    expect(invoice.checkoutUrl).toBe(`https://pay.example.com/pay/${invoice.id}`);
    expect(invoice.redirectUrl).toBe('https://shop.example.com/orders/1042?paid=1');
    expect((await test.engine.invoke('invoices.get', { id: invoice.id })).checkoutUrl).toBe(invoice.checkoutUrl);
  });

  it.each([
    ['javascript:alert(1)', 'http:// or https://'],
    ['ftp://shop.example.com/x', 'http:// or https://'],
    ['https://user:secret@shop.example.com/', 'without a user name or password'],
    ['/orders/1042', 'http:// or https://'],
    [`https://shop.example.com/${'x'.repeat(2001)}`, 'at most 2000'],
  ])('refuses redirectUrl %s with a clear message and creates nothing', async (redirectUrl, message) => {
    const before = (await test.engine.invoke('invoices.list', {})).items.length;
    const result = await test.engine.call('invoices.create', { chainId: 31337, token: 'USDC', amount: '1', redirectUrl });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('VALIDATION_FAILED');
      expect(result.error.message).toContain(message);
    }
    expect((await test.engine.invoke('invoices.list', {})).items.length).toBe(before);
  });

  it('shows the customer only what paying needs, under a strict CSP', async () => {
    const invoice = await create({
      redirectUrl: 'https://shop.example.com/thanks',
      orderId: 'secret-order-77',
      metadata: { customerEmail: 'someone@example.com' },
    });
    const response = await get(`/pay/${invoice.id}/status.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    const text = await response.text();
    const view = JSON.parse(text) as CheckoutView;
    expect(Object.keys(view).sort()).toEqual(VIEW_FIELDS);
    expect(view).toMatchObject({
      id: invoice.id,
      state: 'awaiting_payment',
      shopName: 'Corner Café',
      network: 'USDC on Anvil',
      amount: '12.5',
      amountDue: '12.5',
      amountReceived: '0',
      address: invoice.address,
      paymentUri: invoice.paymentUri,
      confirmationsRequired: 2,
      payments: [],
      // Only once paid: an unpaid page must not offer the way back as if it were.
      redirectUrl: null,
    });
    for (const hidden of ['secret-order-77', 'someone@example.com', 'derivationIndex', 'metadata'])
      expect(text).not.toContain(hidden);

    const page = await get(`/pay/${invoice.id}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toBe(PAGE);
    expect((await get('/pay/assets/checkout.js')).status).toBe(200);
    const qr = await get(`/pay/${invoice.id}/qr.svg`);
    expect(qr.headers.get('content-type')).toBe('image/svg+xml');
    expect(await qr.text()).toMatch(/^<svg/);
  });

  it('paid: the receipt state with the way back to the shop', async () => {
    const invoice = await create({ redirectUrl: 'https://shop.example.com/thanks' });
    await test.engine.invoke('invoices.markPaid', { id: invoice.id, reason: 'paid at the counter in cash' });
    const view = (await (await get(`/pay/${invoice.id}/status.json`)).json()) as CheckoutView;
    expect(view.state).toBe('paid');
    expect(view.redirectUrl).toBe('https://shop.example.com/thanks');
  });

  it('answers 404 for an unknown or malformed id, the page included', async () => {
    for (const path of [
      '/pay/inv_DOESNOTEXIST0000',
      '/pay/inv_DOESNOTEXIST0000/status.json',
      '/pay/..%2f..%2fetc',
      '/pay/x/y/z',
    ]) {
      const response = await get(path);
      expect(response.status, path).toBe(404);
    }
    const body = (await (await get('/pay/inv_NOPE/status.json')).json()) as { error: { code: string } };
    expect(body.error.code).toBe('NOT_FOUND');
  });

  it('on the public host only the checkout pages answer', async () => {
    const invoice = await create();
    expect((await get(`/pay/${invoice.id}/status.json`, 'pay.example.com')).status).toBe(200);
    for (const path of ['/', '/api/v1/invoices', '/ui/session', '/index.html'])
      expect((await get(path, 'pay.example.com')).status, path).toBe(404);
    // Any other host is still refused (DNS rebinding), as before.
    expect((await get(`/pay/${invoice.id}/status.json`, 'evil.example')).status).toBe(403);
  });

  it('limits each client to 120 requests a minute', async () => {
    const limited = createHttpApp({ engine: test.engine, host: '127.0.0.1', uiDir: ui.dir }).app;
    const invoice = await create();
    const statuses: number[] = [];
    for (let i = 0; i < 121; i++)
      statuses.push((await limited.request(`/pay/${invoice.id}/status.json`, { headers: { host: '127.0.0.1' } })).status);
    expect(statuses.slice(0, 120).every((status) => status === 200)).toBe(true);
    expect(statuses[120]).toBe(429);
  });
});
