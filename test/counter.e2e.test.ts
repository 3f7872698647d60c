import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { parseEther, parseUnits, type Address } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnvil, type Anvil } from './fixtures/anvil.ts';
import { launchChromium } from './fixtures/browser.ts';
import { deployPriceFeed, deployTestToken, mine, mintToken, sendNative } from './fixtures/chain-actions.ts';
import { tempDataDir } from './fixtures/engine.ts';
import { freshAddress } from './fixtures/sweep-harness.ts';
import { startTillServe, writeAnvilConfig, type TillServe } from './fixtures/till-serve.ts';
import { signInAndOnboard } from './pages/onboarding-page.ts';
import { SCREENSHOT_DIR } from './pages/screenshots.ts';
import { uiCall } from './pages/ui-rpc.ts';

const TABLET = { width: 1024, height: 768 };

describe('the counter: Charge screen and a paired customer display, against a real till serve and anvil', () => {
  const data = tempDataDir('till-counter-e2e-');
  let anvil: Anvil;
  let serve: TillServe;
  let browser: Browser;
  let merchant: Page;
  // The tablet facing the customer: its own browser context, so it shares no cookie with the merchant.
  let tablet: BrowserContext;
  let display: Page;
  let usdc: Address;

  beforeAll(async () => {
    anvil = await startAnvil();
    // USDC with Chainlink stand-ins on the chain: USDC/USD 1.0001 (the peg check), EUR/USD 1.0888.
    usdc = await deployTestToken(anvil, { name: 'USD Coin', symbol: 'USDC', decimals: 6 });
    const usdcFeed = await deployPriceFeed(anvil, { description: 'USDC / USD', answer: 1_0001_0000n });
    const eurFeed = await deployPriceFeed(anvil, { description: 'EUR / USD', answer: 1_0888_0000n });
    const config = writeAnvilConfig(data.dir, anvil.rpcUrl, { tokens: [{ symbol: 'USDC', address: usdc, decimals: 6 }] });
    const parsed = JSON.parse(readFileSync(config, 'utf8')) as { chains: Record<string, unknown>[] };
    parsed.chains[0]!.priceFeeds = {
      'USDC/USD': { address: usdcFeed, heartbeatSeconds: 86_400 },
      'EUR/USD': { address: eurFeed, heartbeatSeconds: 86_400 },
    };
    writeFileSync(config, JSON.stringify({ ...parsed, shop: { name: 'Corner Café', currency: 'EUR' } }));
    serve = await startTillServe(data.dir, ['--config', config]);
    browser = await launchChromium();
    merchant = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
    await signInAndOnboard(merchant, serve.loginUrl, freshAddress());
    tablet = await browser.newContext({ viewport: TABLET, colorScheme: 'light', hasTouch: true });
    display = await tablet.newPage();
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await anvil?.stop();
    data.cleanup();
  });

  it('an unpaired screen sees nothing but the hint to pair it', async () => {
    await display.goto(`${serve.url}/display`);
    await display.getByText('This screen is not paired yet.').waitFor();
    const state = await display.request.get(`${serve.url}/display/state.json`);
    expect(state.status()).toBe(401);
    // Not the merchant's UI either: the display's cookie-less browser gets no engine calls.
    const rpc = await display.request.post(`${serve.url}/ui/rpc/invoices.list`, { data: {} });
    expect(rpc.status()).toBe(401);
  });

  it('pairs with a one-time link that cannot be used twice', async () => {
    await merchant.goto(`${serve.url}/#/charge`);
    await merchant.getByRole('heading', { name: 'Charge' }).waitFor();
    await merchant.getByRole('button', { name: 'Pair a customer display' }).click();
    const link = await merchant.getByTestId('pairing-link').getAttribute('href');
    expect(link).toMatch(new RegExp(`^${serve.url}/display/pair\\?token=`));

    await display.goto(link!);
    expect(new URL(display.url()).pathname).toBe('/display');
    expect(display.url()).not.toContain('token=');
    await display.getByTestId('display-idle').getByRole('heading', { name: 'Corner Café' }).waitFor();

    const other = await browser.newContext();
    const reused = await (await other.newPage()).goto(link!);
    expect(reused?.status()).toBe(403);
    await other.close();
    await merchant.getByText('1 screen(s) paired.').waitFor({ timeout: 10_000 });
  });

  it('from amount to QR in two key presses; the display shows amount, network and QR, then Partly paid, then Paid', async () => {
    await merchant.getByRole('heading', { name: 'Charge' }).click();
    // The shop currency is the default; this sale is in the coin itself.
    await merchant.getByRole('group', { name: 'Charge in' }).getByRole('button', { name: 'ETH' }).click();
    await merchant.keyboard.type('.05');
    expect(await merchant.getByTestId('charge-amount').textContent()).toBe('0.05 ETH');
    await merchant.keyboard.press('Enter');
    await merchant.getByRole('img', { name: 'Payment QR code' }).waitFor();
    const invoices = await uiCall(merchant, 'invoices.list', {});
    const invoice = invoices.items.find((item) => item.amount === '0.05')!;
    expect(invoice.token.symbol).toBe('ETH');

    await display.getByTestId('display-amount').filter({ hasText: '0.05 ETH' }).waitFor();
    expect(await display.getByTestId('display-network').textContent()).toBe('ETH on Anvil');
    await display.getByText('Corner Café').waitFor();
    const qr = display.getByRole('img', { name: /QR code: pay 0.05/ });
    await qr.waitFor();
    // Loaded, not only in the page: a broken QR image has no natural size.
    await display.waitForFunction(
      (img: { complete: boolean; naturalWidth: number } | null) => img !== null && img.complete && img.naturalWidth > 0,
      await qr.elementHandle(),
    );
    await display
      .getByText(/\d+:\d\d/)
      .first()
      .waitFor();
    // The display never shows the merchant's things: no order id, no address book, no nav.
    expect(await display.getByRole('navigation').count()).toBe(0);

    await sendNative(anvil, { to: invoice.address as Address, value: parseEther('0.02') });
    await display.getByTestId('display-partly').filter({ hasText: 'Partly paid: 0.03 ETH still due' }).waitFor();
    await display.getByTestId('display-amount').filter({ hasText: '0.03 ETH' }).waitFor();

    await sendNative(anvil, { to: invoice.address as Address, value: parseEther('0.03') });
    await display.getByRole('heading', { name: 'Payment received' }).waitFor();
    await mine(anvil, 2);
    await display.getByRole('heading', { name: 'Paid' }).waitFor();
    await display.getByText('0.05 ETH').waitFor();
    await display.screenshot({ path: join(SCREENSHOT_DIR, 'customer-display-paid.png') });

    // Next customer: the display goes back to the shop's name.
    await merchant.getByRole('button', { name: 'New charge' }).click();
    await display.getByTestId('display-idle').getByRole('heading', { name: 'Corner Café' }).waitFor();
  });

  it('remembers the chain and token, and the keypad works by touch', async () => {
    await merchant.reload();
    await merchant.getByRole('heading', { name: 'Charge' }).waitFor();
    expect(await merchant.getByLabel('Token').inputValue()).toBe('native');
    const keypad = merchant.getByRole('group', { name: 'Keypad' });
    for (const key of ['1', '.', '2', '5', '9']) await keypad.getByRole('button', { name: key, exact: true }).click();
    await keypad.getByRole('button', { name: 'Delete last digit' }).click();
    expect(await merchant.getByTestId('charge-amount').textContent()).toBe('1.25 ETH');
    await merchant.getByRole('button', { name: 'Charge (Enter)' }).click();
    await display.getByTestId('display-amount').filter({ hasText: '1.25 ETH' }).waitFor();
  });

  it('types 12.50 in the shop currency: Charge and the display show "12.50 EUR · 13.61 USDC", paying turns it to Paid', async () => {
    await merchant.getByLabel('Token').selectOption({ label: 'USDC' });
    await merchant.getByRole('group', { name: 'Charge in' }).getByRole('button', { name: 'EUR' }).click();
    await merchant.keyboard.type('12.50');
    expect(await merchant.getByTestId('charge-amount').textContent()).toBe('12.50 EUR');
    await merchant.keyboard.press('Enter');
    await merchant.getByTestId('charge-due').filter({ hasText: '12.50 EUR · 13.61 USDC' }).waitFor();
    expect(await merchant.getByTestId('charge-rate').textContent()).toContain('1 USDC = 0.91844232 EUR');
    await display.getByTestId('display-amount').filter({ hasText: '12.50 EUR · 13.61 USDC' }).waitFor();
    expect(await display.getByTestId('display-network').textContent()).toBe('USDC on Anvil');
    const qr = display.getByRole('img', { name: /QR code: pay 13.61 USDC on Anvil/ });
    await qr.waitFor();
    await display.waitForFunction(
      (img: { complete: boolean; naturalWidth: number } | null) => img !== null && img.complete && img.naturalWidth > 0,
      await qr.elementHandle(),
    );
    await merchant.screenshot({ path: join(SCREENSHOT_DIR, 'charge.png') });
    await display.screenshot({ path: join(SCREENSHOT_DIR, 'customer-display.png') });

    const invoice = (await uiCall(merchant, 'invoices.list', {})).items.find((item) => item.price?.amount === '12.50')!;
    expect(invoice).toMatchObject({ amount: '13.61', price: { amount: '12.50', currency: 'EUR' } });
    await mintToken(anvil, usdc, invoice.address as Address, parseUnits('13.61', 6));
    await mine(anvil, 2);
    await display.getByRole('heading', { name: 'Paid' }).waitFor();
    await display.getByText('12.50 EUR · 13.61 USDC').waitFor();
  });

  it('Forget paired screens sends the tablet back to "not paired"', async () => {
    await merchant.getByRole('button', { name: 'Forget paired screens' }).click();
    await merchant.getByText('No screen paired yet.').waitFor({ timeout: 10_000 });
    await display.getByText('This screen is not paired yet.').waitFor();
    expect((await display.request.get(`${serve.url}/display/state.json`)).status()).toBe(401);
  });
});
