import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { mnemonicToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnvil, type Anvil } from './fixtures/anvil.ts';
import { launchChromium } from './fixtures/browser.ts';
import { tempDataDir } from './fixtures/engine.ts';
import { waitFor } from './fixtures/ports.ts';
import { startTillServe, writeAnvilConfig, type TillServe } from './fixtures/till-serve.ts';
import { invoiceDetailPage, invoicesPage, newInvoicePage } from './pages/invoice-pages.ts';
import { onboardingPage } from './pages/onboarding-page.ts';
import { SCREENSHOT_DIR } from './pages/screenshots.ts';

const TREASURY = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';

describe('browser UI against a real till serve and anvil', () => {
  const data = tempDataDir();
  let anvil: Anvil;
  let serve: TillServe;
  let browser: Browser;
  let page: Page;
  let mnemonic: string[] = [];

  beforeAll(async () => {
    anvil = await startAnvil();
    serve = await startTillServe(data.dir, ['--config', writeAnvilConfig(data.dir, anvil.rpcUrl)]);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await anvil?.stop();
    data.cleanup();
  });

  it('the login link opens a session and drops the token from the address bar', async () => {
    await page.goto(serve.loginUrl);
    await page.getByRole('heading', { name: 'Welcome to Till' }).waitFor();
    expect(page.url()).not.toContain('token=');
  });

  it('onboarding creates a wallet, checks the backup and sets the treasury', async () => {
    const onboarding = onboardingPage(page);
    mnemonic = await onboarding.createWallet();
    expect(mnemonic).toHaveLength(24);
    await onboarding.setTreasury(TREASURY);
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
  });

  it("a new invoice shows its QR code and its own deposit address m/44'/60'/0'/0/0", async () => {
    await newInvoicePage(page).open();
    await newInvoicePage(page).create({ chain: 'Anvil', token: 'ETH (native)', amount: '0.05', orderId: 'e2e-order-1' });
    const detail = invoiceDetailPage(page);
    await detail.qrImage().waitFor();
    const expected = mnemonicToAccount(mnemonic.join(' '), { addressIndex: 0 }).address;
    await page.getByText(expected, { exact: true }).first().waitFor();
    const qrSource = await detail.qrImage().getAttribute('src');
    expect(qrSource).toMatch(/^data:image\/svg\+xml;base64,/);
    const svg = Buffer.from(qrSource!.split(',')[1]!, 'base64').toString();
    expect(svg).toContain('<svg');
    await page.getByText(`ethereum:${expected}@31337?value=50000000000000000`).first().waitFor();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'invoice-detail.png') });
  });

  it('the invoice is in the list and found by its orderId', async () => {
    const invoices = invoicesPage(page);
    await invoices.open();
    await invoices.search('e2e-order-1');
    const row = page.getByRole('row').filter({ hasText: 'e2e-order-1' });
    await row.first().waitFor();
    expect(await row.count()).toBe(1);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'invoices.png') });
  });

  it('an invoice created through the API appears in the open list without a reload', async () => {
    // The API key is created through the UI contract with the browser's own session.
    const created = await page.evaluate(async () => {
      const response = await fetch('/ui/rpc/apiKeys.create', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'e2e', scopes: ['invoices:write'] }),
      });
      return (await response.json()) as { ok: boolean; value: { secret: string } };
    });
    expect(created.ok).toBe(true);
    await invoicesPage(page).search('');
    const response = await fetch(`${serve.url}/api/v1/invoices`, {
      method: 'POST',
      headers: { authorization: `Bearer ${created.value.secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ chainId: 31337, token: 'native', amount: '1.25', orderId: 'pushed-order' }),
    });
    expect(response.status).toBe(201);
    await waitFor(
      async () => (await page.getByRole('row').filter({ hasText: 'pushed-order' }).count()) === 1,
      'the pushed invoice row',
    );
  });
});
