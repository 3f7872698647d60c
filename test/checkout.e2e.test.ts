import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { parseEther, type Address } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Invoice } from '../src/shared/domain.ts';
import { startAnvil, type Anvil } from './fixtures/anvil.ts';
import { launchChromium } from './fixtures/browser.ts';
import { mine, sendNative } from './fixtures/chain-actions.ts';
import { tempDataDir, TEST_MNEMONIC } from './fixtures/engine.ts';
import { runTill, startTillServe, writeAnvilConfig, type TillServe } from './fixtures/till-serve.ts';
import { SCREENSHOT_DIR } from './pages/screenshots.ts';

const PHONE = { width: 390, height: 844 };

describe('the hosted checkout page on a phone, against a real till serve and anvil', () => {
  const data = tempDataDir('till-checkout-e2e-');
  let anvil: Anvil;
  let serve: TillServe;
  let browser: Browser;
  let page: Page;
  let apiKey = '';
  let shop: Server;
  let shopUrl = '';
  const shopVisits: string[] = [];

  const createInvoice = async (body: Record<string, unknown>): Promise<Invoice> => {
    const response = await fetch(`${serve.url}/api/v1/invoices`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status, await response.clone().text()).toBe(201);
    return (await response.json()) as Invoice;
  };

  beforeAll(async () => {
    anvil = await startAnvil();
    expect((await runTill(data.dir, ['wallet', 'import', '--keystore', 'file'], TEST_MNEMONIC)).code).toBe(0);
    apiKey = (await runTill(data.dir, ['apikey', 'create', '--name', 'shop'])).stdout.trim();
    const config = writeAnvilConfig(data.dir, anvil.rpcUrl);
    writeFileSync(config, JSON.stringify({ ...JSON.parse(readFileSync(config, 'utf8')), shop: { name: 'Corner Café' } }));
    serve = await startTillServe(data.dir, ['--config', config]);
    // The web shop's "thank you" page: where Return to the shop must lead.
    shop = createServer((request, response) => {
      shopVisits.push(request.url ?? '');
      response.writeHead(200, { 'content-type': 'text/html' }).end('<title>Thanks</title><h1>Thank you for your order</h1>');
    });
    await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
    shopUrl = `http://127.0.0.1:${(shop.address() as AddressInfo).port}`;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: PHONE, colorScheme: 'light', isMobile: true, hasTouch: true });
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await anvil?.stop();
    await new Promise<void>((resolve) => (shop ? shop.close(() => resolve()) : resolve()));
    data.cleanup();
  });

  it('a web-shop invoice: amount and QR, partly paid with the remainder, then the receipt and back to the shop', async () => {
    // Not the first deposits of the test words: those are anvil's own prefunded accounts.
    for (let i = 0; i < 12; i++) await createInvoice({ chainId: 31337, token: 'native', amount: '0.001' });
    const invoice = await createInvoice({
      chainId: 31337,
      token: 'native',
      amount: '0.5',
      orderId: 'order-secret-1042',
      metadata: { customerEmail: 'someone@example.com' },
      redirectUrl: `${shopUrl}/orders/1042/thanks`,
    });
    expect(invoice.checkoutUrl).toBe(`${serve.url}/pay/${invoice.id}`);

    await page.goto(invoice.checkoutUrl!);
    await page.getByRole('heading', { name: 'Corner Café' }).waitFor();
    await page.getByTestId('amount-due').filter({ hasText: '0.5 ETH' }).waitFor();
    expect(await page.getByTestId('network').textContent()).toBe('ETH on Anvil');
    expect(await page.getByTestId('address').textContent()).toBe(invoice.address);
    const qr = page.getByRole('img', { name: /QR code/ });
    await qr.waitFor();
    expect(await qr.evaluate((img: { naturalWidth: number }) => img.naturalWidth)).toBeGreaterThan(0);
    expect(await page.getByRole('link', { name: 'Open in wallet' }).getAttribute('href')).toBe(invoice.paymentUri);
    await page
      .getByTestId('countdown')
      .filter({ hasText: /Pay within \d+:\d\d/ })
      .waitFor();
    await page.getByText('A payment from another network does not arrive here.').waitFor();
    const html = await page.content();
    for (const hidden of ['order-secret-1042', 'someone@example.com']) expect(html).not.toContain(hidden);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'checkout-phone.png'), fullPage: true });

    // Part of it: the page says what is still due and shows a QR code for the rest, without a reload.
    await sendNative(anvil, { to: invoice.address as Address, value: parseEther('0.2') });
    await page.getByTestId('partly-paid').filter({ hasText: '0.3' }).waitFor();
    await page.getByTestId('amount-due').filter({ hasText: '0.3 ETH' }).waitFor();
    expect(await page.getByRole('link', { name: 'Open in wallet' }).getAttribute('href')).toBe(
      `ethereum:${invoice.address}@31337?value=${parseEther('0.3')}`,
    );

    await sendNative(anvil, { to: invoice.address as Address, value: parseEther('0.3') });
    await page.getByRole('heading', { name: 'Payment received' }).waitFor();
    await mine(anvil, 2);
    await page.getByRole('heading', { name: 'Paid' }).waitFor();
    await page.getByText('0.5 ETH').first().waitFor();
    expect(await page.getByTestId('receipt-tx').count()).toBe(2);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'checkout-phone-paid.png'), fullPage: true });

    await page.getByRole('link', { name: 'Return to the shop' }).click();
    await page.waitForURL(`${shopUrl}/orders/1042/thanks`);
    expect(shopVisits).toContain('/orders/1042/thanks');
  });

  it('an unknown invoice id is a 404 page that shows nothing of Till', async () => {
    const response = await page.goto(`${serve.url}/pay/inv_00000000000000000000`);
    expect(response?.status()).toBe(404);
    expect(await page.content()).toContain('There is no payment page at this address');
    expect(await page.content()).not.toMatch(/Till|invoice/i);
  });
});
