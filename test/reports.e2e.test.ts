import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { parseEther, parseUnits, type Address } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnvil, type Anvil } from './fixtures/anvil.ts';
import { launchChromium } from './fixtures/browser.ts';
import { deployTestToken, mine, sendNative, transferToken } from './fixtures/chain-actions.ts';
import { tempDataDir } from './fixtures/engine.ts';
import { freshAddress } from './fixtures/sweep-harness.ts';
import { startTillServe, writeAnvilConfig, type TillServe } from './fixtures/till-serve.ts';
import { newInvoicePage } from './pages/invoice-pages.ts';
import { signInAndOnboard } from './pages/onboarding-page.ts';
import { invoicePaymentsPage } from './pages/payment-pages.ts';
import { reportsPage } from './pages/report-pages.ts';
import { SCREENSHOT_DIR, screenshotFullHeight } from './pages/screenshots.ts';
import { uiCall } from './pages/ui-rpc.ts';

describe('the Reports screen against a real till serve and anvil', () => {
  const data = tempDataDir('till-reports-ui-');
  let anvil: Anvil;
  let token: Address;
  let serve: TillServe;
  let browser: Browser;
  let page: Page;

  /** Creates an invoice in the UI, pays it on chain and waits until the UI shows it confirmed. */
  async function payInvoice(input: { token: string; amount: string; pay(deposit: Address): Promise<unknown> }): Promise<void> {
    await newInvoicePage(page).open();
    await newInvoicePage(page).create({ chain: 'Anvil', token: input.token, amount: input.amount });
    const invoice = invoicePaymentsPage(page);
    await invoice.waitForStatus('Pending');
    await input.pay(await invoice.depositAddress());
    await invoice.waitForStatus('Detected');
    await mine(anvil, 2);
    await invoice.waitForStatus('Confirmed');
  }

  beforeAll(async () => {
    anvil = await startAnvil();
    token = await deployTestToken(anvil, { symbol: 'TUSD', decimals: 6 });
    // Paused sweeps: the report's received amounts are what came in, and no sweep changes the picture mid-test.
    const config = writeAnvilConfig(data.dir, anvil.rpcUrl, {
      tokens: [{ symbol: 'TUSD', address: token, decimals: 6 }],
      sweep: { paused: true },
    });
    serve = await startTillServe(data.dir, ['--config', config]);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await signInAndOnboard(page, serve.loginUrl, freshAddress());
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await anvil?.stop();
    data.cleanup();
  });

  it('before any payment: the empty state, no chart', async () => {
    const reports = reportsPage(page);
    await reports.open();
    await reports.received().getByText('Nothing received in this period', { exact: true }).waitFor();
    expect(await page.locator('.recharts-wrapper').count()).toBe(0);
    expect(await reports.invoiceCount('Created').textContent()).toBe('0');
  });

  it('paid invoices show as the total per token and as bars in a chart per token', async () => {
    await payInvoice({
      token: 'ETH (native)',
      amount: '0.05',
      pay: (to) => sendNative(anvil, { to, value: parseEther('0.05') }),
    });
    await payInvoice({
      token: 'TUSD',
      amount: '12.5',
      pay: (to) => transferToken(anvil, { token, to, amount: parseUnits('12.5', 6) }),
    });

    const reports = reportsPage(page);
    await reports.open();
    await reports
      .totalFor('ETH', 'Anvil')
      .filter({ hasText: /^0\.05$/ })
      .waitFor();
    await reports
      .totalFor('TUSD', 'Anvil')
      .filter({ hasText: /^12\.5$/ })
      .waitFor();
    // Different tokens never share a bar: a chart per unit, each with its own svg and its bar for today.
    for (const symbol of ['ETH', 'TUSD']) {
      await reports.chart(symbol).locator('svg.recharts-surface').first().waitFor();
      await reports.bars(symbol).first().waitFor();
      expect(await reports.bars(symbol).count(), symbol).toBe(1);
    }
    expect(await reports.invoiceCount('Created').textContent()).toBe('2');
    expect(await reports.invoiceCount('Paid').textContent()).toBe('2');
    // What the screen shows is the engine's summary, exact decimals.
    const summary = await uiCall(page, 'reports.summary', {
      from: new Date().toISOString().slice(0, 10),
      to: new Date().toISOString().slice(0, 10),
    });
    expect(summary.tokens.map((row) => [row.symbol, row.received])).toEqual([
      ['ETH', '0.05'],
      ['TUSD', '12.5'],
    ]);
    await screenshotFullHeight(page, join(SCREENSHOT_DIR, 'reports-light.png'), 'light');
    await screenshotFullHeight(page, join(SCREENSHOT_DIR, 'reports-dark.png'), 'dark');
  });

  it('last month has nothing; a custom period that ends before it starts is refused with what is wrong', async () => {
    const reports = reportsPage(page);
    await reports.choosePeriod('Last month');
    await reports.received().getByText('Nothing received in this period', { exact: true }).waitFor();
    await reports.choosePeriod('Custom');
    await reports.setCustom('2026-11-30', '2026-11-01');
    await page.getByText('the period must start on or before the day it ends (from ≤ to)').waitFor();
  });
});
