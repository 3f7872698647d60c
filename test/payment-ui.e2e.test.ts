import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { parseEther } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnvil, type Anvil } from './fixtures/anvil.ts';
import { launchChromium } from './fixtures/browser.ts';
import { deployTestToken, mine, reorg, sendNative } from './fixtures/chain-actions.ts';
import { tempDataDir } from './fixtures/engine.ts';
import { waitFor } from './fixtures/ports.ts';
import { startTillServe, writeAnvilConfig, type TillServe } from './fixtures/till-serve.ts';
import { newInvoicePage } from './pages/invoice-pages.ts';
import { signInAndOnboard } from './pages/onboarding-page.ts';
import { alertsPage, chainHealthPage, invoicePaymentsPage, tokenSettingsPage } from './pages/payment-pages.ts';
import { screenshotFullHeight } from './pages/screenshots.ts';
import { uiCall } from './pages/ui-rpc.ts';

const TREASURY = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const SCREENSHOT_DIR = 'test-results/screenshots';

/** Screenshots of the current screen in both themes, `<name>-light.png` and `<name>-dark.png`. */
async function screenshotBothThemes(page: Page, name: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const)
    await screenshotFullHeight(page, join(SCREENSHOT_DIR, `${name}-${colorScheme}.png`), colorScheme);
}

describe('payments in the browser UI against a real till serve and anvil', () => {
  const data = tempDataDir();
  let anvil: Anvil;
  let serve: TillServe;
  let browser: Browser;
  let page: Page;
  let paidInvoiceId = '';
  let paidTx = '';
  let partialInvoiceId = '';

  beforeAll(async () => {
    anvil = await startAnvil();
    // Not swept: these tests follow invoices up to confirmed (sweeping has its own browser test).
    serve = await startTillServe(data.dir, ['--config', writeAnvilConfig(data.dir, anvil.rpcUrl, { sweep: { paused: true } })]);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await signInAndOnboard(page, serve.loginUrl, TREASURY);
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await anvil?.stop();
    data.cleanup();
  });

  it('an exact native payment shows as Detected, then Confirmed, without a reload', async () => {
    await newInvoicePage(page).open();
    await newInvoicePage(page).create({ chain: 'Anvil', token: 'ETH (native)', amount: '0.01', orderId: 'e2e-paid' });
    const invoice = invoicePaymentsPage(page);
    await invoice.waitForStatus('Pending');
    paidInvoiceId = invoice.invoiceId();
    const address = await invoice.depositAddress();

    paidTx = await sendNative(anvil, { to: address, value: parseEther('0.01') });
    await invoice.waitForStatus('Detected');
    const row = invoice.paymentRow(paidTx);
    await row.getByText('Pending', { exact: true }).waitFor();
    expect(await row.textContent()).toContain('0.01');

    await mine(anvil, 2);
    await invoice.waitForStatus('Confirmed');
    await row.getByText('Confirmed', { exact: true }).waitFor();
    expect(await invoice.paymentRows().count()).toBe(1);
    await invoice.history().getByText('Payment detected').waitFor();
    await invoice.history().getByText('Confirmed').waitFor();
    await screenshotBothThemes(page, 'invoice-confirmed');
  });

  it('recheck reports how many payments it found', async () => {
    await invoicePaymentsPage(page).recheck();
    await page.getByRole('status').filter({ hasText: 'Found 0 new payments.' }).waitFor();
  });

  it('the chain health screen shows the anvil chain live, and the status bar agrees', async () => {
    // A second, underpaid native invoice stays watched: the rescan below must not count its payment twice.
    const partial = await uiCall(page, 'invoices.create', {
      chainId: 31337,
      token: 'native',
      amount: '0.02',
      orderId: 'e2e-partial',
    });
    partialInvoiceId = partial.id;
    await sendNative(anvil, { to: partial.address as `0x${string}`, value: parseEther('0.005') });
    await waitFor(
      async () => (await uiCall(page, 'invoices.get', { id: partialInvoiceId })).payments.length === 1,
      'the partial payment to be recorded',
    );

    const chains = chainHealthPage(page);
    await chains.open();
    await chains.waitForState('Anvil', 'Live');
    await chains.card('Anvil').getByRole('table', { name: 'RPC endpoints of Anvil' }).getByText('Closed').waitFor();
    // The watched native invoice is found balance-first; the card says so and why.
    await chains.card('Anvil').getByText('Balance-first', { exact: true }).waitFor();
    // anvil offers trace_filter, so a change is found in the call traces.
    expect(await chains.card('Anvil').getByTestId('native-detection-reason').textContent()).toContain(
      'balances are compared each step; a change is found in the call traces',
    );
    await page.getByRole('contentinfo', { name: 'Engine health' }).getByRole('link', { name: 'Chains: all live' }).waitFor();
    await screenshotBothThemes(page, 'chain-health');
  });

  it('pausing scanning shows Paused and turns the status bar amber; resuming brings it back live', async () => {
    const chains = chainHealthPage(page);
    await chains.card('Anvil').getByRole('button', { name: 'Pause scanning' }).click();
    await chains.waitForState('Anvil', 'Paused');
    await chains.statusBarHealth().filter({ hasText: 'Chains: Anvil paused' }).waitFor();
    await chains.card('Anvil').getByRole('button', { name: 'Resume scanning' }).click();
    await chains.waitForState('Anvil', 'Live');
    await chains.statusBarHealth().filter({ hasText: 'Chains: all live' }).waitFor();
  });

  it('a refused rescan shows the engine message; a rescan from block 0 counts nothing twice', async () => {
    const chains = chainHealthPage(page);
    await chains.rescan('Anvil', 1_000_000);
    await chains.rescanDialog('Anvil').getByRole('alert').filter({ hasText: 'past the last scanned block' }).waitFor();

    await chains.rescan('Anvil', 0);
    await chains.card('Anvil').getByRole('status').filter({ hasText: 'Rescanning Anvil from block 0.' }).waitFor();
    const log = await uiCall(page, 'operatorLog.list', { limit: 10 });
    expect(log.some((entry) => entry.action === 'chain.rescan' && entry.details?.fromBlock === 0)).toBe(true);

    // The cursor went back to block 0; once the scanner is past a block mined after the rescan, it has read them all again.
    const head = Number(await mine(anvil, 1));
    await waitFor(async () => {
      const [anvilHealth] = await uiCall(page, 'chains.health', {});
      return (anvilHealth?.lastScannedBlock ?? -1) >= head;
    }, 'the rescan to reach the head');
    await chains.waitForState('Anvil', 'Live');

    const paid = await uiCall(page, 'invoices.get', { id: paidInvoiceId });
    expect(paid.status).toBe('confirmed');
    expect(paid.payments).toHaveLength(1);
    expect(paid.amountReceived).toBe('0.01');
    const partial = await uiCall(page, 'invoices.get', { id: partialInvoiceId });
    expect(partial.payments).toHaveLength(1);
    expect(partial.amountReceived).toBe('0.005');
    const events = await uiCall(page, 'invoices.events', { id: partialInvoiceId });
    expect(events.filter((event) => event.type === 'invoice.payment_received')).toHaveLength(1);

    await page.goto(`${serve.url}/#/invoices/${paidInvoiceId}`);
    const invoice = invoicePaymentsPage(page);
    await invoice.waitForStatus('Confirmed');
    await invoice.paymentRow(paidTx).waitFor();
    expect(await invoice.paymentRows().count()).toBe(1);
  });

  it('a payment whose block is reorged away is shown orphaned and the invoice returns to Pending', async () => {
    await newInvoicePage(page).open();
    await page.getByRole('heading', { name: 'New invoice', level: 1 }).waitFor();
    await newInvoicePage(page).create({ chain: 'Anvil', token: 'ETH (native)', amount: '0.003', orderId: 'e2e-reorged' });
    const invoice = invoicePaymentsPage(page);
    await invoice.waitForStatus('Pending');
    const tx = await sendNative(anvil, { to: await invoice.depositAddress(), value: parseEther('0.003') });
    await invoice.waitForStatus('Detected');
    await invoice.paymentRow(tx).getByText('1 of 2').waitFor();

    // The block holding the payment is replaced by an empty one; anvil drops the transaction for good.
    await reorg(anvil, 1);
    await invoice.paymentRow(tx).getByText('Orphaned (reorg)').waitFor();
    await invoice.waitForStatus('Pending');
    expect(await invoice.paymentRow(tx).getAttribute('class')).toContain('is-orphaned');
    await invoice.history().getByText('Reverted by a reorg').waitFor();
    await screenshotBothThemes(page, 'invoice-orphaned');
  });

  it('Test RPC URLs in the chain form reports the head and latency of the anvil endpoint', async () => {
    const settings = tokenSettingsPage(page);
    await settings.open();
    const results = await settings.testRpcUrls('Anvil');
    await results.getByText(/head \d+ · \d+ ms · accepts eth_getLogs over [\d,]+ blocks/).waitFor();
    await screenshotBothThemes(page, 'rpc-test');
    await settings.closeChainForm('Anvil');
  });

  it('native coin sent to a token invoice raises a wrong_token alert that can be acknowledged', async () => {
    const token = await deployTestToken(anvil, { symbol: 'TUSD', decimals: 6 });
    const settings = tokenSettingsPage(page);
    await settings.open();
    await settings.addToken('Anvil', { symbol: 'TUSD', address: token, decimals: 6 });

    await newInvoicePage(page).open();
    await page.getByRole('heading', { name: 'New invoice', level: 1 }).waitFor();
    await newInvoicePage(page).create({ chain: 'Anvil', token: 'TUSD', amount: '5', orderId: 'e2e-wrong-token' });
    const invoice = invoicePaymentsPage(page);
    await invoice.waitForStatus('Pending');
    await sendNative(anvil, { to: await invoice.depositAddress(), value: parseEther('0.001') });

    const alerts = alertsPage(page);
    await alerts.statusBarCounter().filter({ hasText: '1 open alert' }).waitFor();
    await alerts.open();
    const item = alerts.item('Wrong token');
    await item.waitFor();
    await item.getByText('What to do').waitFor();
    await item.getByRole('link', { name: /^Open invoice/ }).waitFor();
    expect(await alerts.navLink().textContent()).toContain('1');
    await screenshotBothThemes(page, 'alerts');

    await alerts.acknowledge('Wrong token');
    await page.getByText('No open alerts', { exact: true }).first().waitFor();
    await alerts.statusBarCounter().filter({ hasText: 'No open alerts' }).waitFor();
    expect(await alerts.list().count()).toBe(0);

    await alerts.showAcknowledged(true);
    await alerts
      .item('Wrong token')
      .getByText(/^Acknowledged/)
      .waitFor();
    const [acknowledged] = await uiCall(page, 'alerts.list', { includeAcknowledged: true });
    expect(acknowledged?.type).toBe('wrong_token');
    expect(acknowledged?.acknowledgedAt).not.toBeNull();
  });
});
