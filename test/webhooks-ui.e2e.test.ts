import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnvil, type Anvil } from './fixtures/anvil.ts';
import { launchChromium } from './fixtures/browser.ts';
import { tempDataDir } from './fixtures/engine.ts';
import { startTillServe, writeAnvilConfig, type TillServe } from './fixtures/till-serve.ts';
import { startWebhookReceiver, type WebhookReceiver } from './fixtures/webhook-receiver.ts';
import { newInvoicePage } from './pages/invoice-pages.ts';
import { signInAndOnboard } from './pages/onboarding-page.ts';
import { invoicePaymentsPage } from './pages/payment-pages.ts';
import { SCREENSHOT_DIR, screenshotFullHeight } from './pages/screenshots.ts';
import { uiCall } from './pages/ui-rpc.ts';
import { invoiceDeliveriesPage, webhooksPage } from './pages/webhook-pages.ts';

const TREASURY = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const POLL = { timeout: 30_000, interval: 100 };

describe('the Webhooks screen against a real till serve and a real receiver on loopback', () => {
  const data = tempDataDir();
  let anvil: Anvil;
  let serve: TillServe;
  let browser: Browser;
  let page: Page;
  let receiver: WebhookReceiver;
  let paidInvoiceId = '';
  let failedInvoiceId = '';

  const receivedFor = (invoiceId: string) => receiver.received.filter((request) => request.rawBody.includes(invoiceId));

  beforeAll(async () => {
    anvil = await startAnvil();
    serve = await startTillServe(data.dir, ['--config', writeAnvilConfig(data.dir, anvil.rpcUrl)]);
    receiver = await startWebhookReceiver();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    mkdirSync('test-results/screenshots', { recursive: true });
    await signInAndOnboard(page, serve.loginUrl, TREASURY);
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await receiver?.close();
    await anvil?.stop();
    data.cleanup();
  });

  it('the empty screen says what to do; a URL Till refuses shows its message at the field; the secret is shown once', async () => {
    const webhooks = webhooksPage(page);
    await webhooks.open();
    await webhooks.emptyEndpoints().waitFor();
    await page.getByText('No deliveries yet', { exact: true }).waitFor();

    await webhooks.submitEndpoint({ url: 'ftp://shop.example/hook' });
    const url = webhooks.addDialog().getByLabel('Endpoint URL');
    await webhooks
      .addDialog()
      .getByRole('alert')
      .filter({ hasText: 'A webhook URL must start with http:// or https://' })
      .waitFor();
    expect(await url.getAttribute('aria-invalid')).toBe('true');
    await page.screenshot({ path: join('test-results/screenshots', 'webhook-add-refused.png'), animations: 'disabled' });

    await webhooks.submitEndpoint({ url: receiver.url, description: 'E2E shop' });
    const secret = await webhooks.takeCreatedSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    receiver.secrets.push(secret);
    const card = webhooks.endpoint(receiver.url);
    await card.getByText('Enabled', { exact: true }).first().waitFor();
    await card.getByText(`Signing secret …${secret.slice(-4)}`, { exact: false }).waitFor();
  });

  it('a test ping from the UI reaches the receiver, signed, and its outcome shows inline', async () => {
    const outcome = await webhooksPage(page).ping(receiver.url);
    await outcome.getByText(/^Ping delivered: HTTP 204 No Content in \d/).waitFor();
    await expect.poll(() => receiver.accepted().filter((request) => request.event?.type === 'ping').length, POLL).toBe(1);
    await webhooksPage(page).logRows().filter({ hasText: 'ping' }).getByText('Succeeded', { exact: true }).waitFor();
  });

  it('an invoice created in the UI is delivered and the log shows it succeeded', async () => {
    await newInvoicePage(page).open();
    await newInvoicePage(page).create({ chain: 'Anvil', token: 'ETH (native)', amount: '0.01', orderId: 'wh-e2e-ok' });
    await invoicePaymentsPage(page).waitForStatus('Pending');
    paidInvoiceId = invoicePaymentsPage(page).invoiceId();
    await expect.poll(() => receivedFor(paidInvoiceId).filter((request) => request.status === 204).length, POLL).toBe(1);
    expect(receivedFor(paidInvoiceId)[0]!.event).toMatchObject({
      type: 'invoice.created',
      data: { invoice: { id: paidInvoiceId } },
    });

    const webhooks = webhooksPage(page);
    await webhooks.open();
    const row = webhooks.rows(paidInvoiceId, 'invoice.created');
    await row.getByText('Succeeded', { exact: true }).waitFor();
    await row.getByText('HTTP 204 No Content').waitFor();
  });

  it('a failing receiver shows the failed attempt; Resend delivers it once the receiver is back, marked Till-Redelivery', async () => {
    receiver.answer = () => ({ status: 500, body: 'shop database is down' });
    const invoice = await uiCall(page, 'invoices.create', {
      chainId: 31337,
      token: 'native',
      amount: '0.02',
      orderId: 'wh-e2e-fail',
    });
    failedInvoiceId = invoice.id;
    await expect.poll(() => receivedFor(failedInvoiceId).length, POLL).toBeGreaterThan(0);

    const webhooks = webhooksPage(page);
    await webhooks.filterByStatus('Failed');
    const failed = webhooks.rows(failedInvoiceId, 'invoice.created').first();
    await failed.getByText('Failed', { exact: true }).waitFor();
    await failed.getByText('HTTP 500 Internal Server Error').waitFor();
    const deliveryId = (await failed.getAttribute('data-delivery-id'))!;

    const detail = await webhooks.details(failed);
    const attempt = detail.getByRole('table', { name: 'Attempts of this delivery' }).locator('tbody tr').first();
    await attempt.getByText('HTTP 500 Internal Server Error').waitFor();
    await attempt.getByText('shop database is down').waitFor();
    await detail.getByText(`"id": "${failedInvoiceId}"`, { exact: false }).waitFor();
    await screenshotFullHeight(page, join('test-results/screenshots', 'webhook-delivery-failed.png'), 'light');
    await webhooks.closeDetails();
    await webhooks.clearFilters();

    receiver.answer = () => ({ status: 204 });
    const outcome = await webhooks.resend(webhooks.row(deliveryId));
    await outcome.getByText(/^Resent invoice\.created: succeeded, HTTP 204 No Content/).waitFor();
    const redelivered = receivedFor(failedInvoiceId).filter((request) => request.headers['till-redelivery'] === 'true');
    expect(redelivered.map((request) => [request.status, request.event?.type])).toEqual([[204, 'invoice.created']]);
    await webhooks
      .rows(failedInvoiceId, 'invoice.created')
      .filter({ hasText: 'resent' })
      .getByText('Succeeded', { exact: true })
      .waitFor();

    // From a delivery's dialog too: the outcome shows there, and the dialog moves to the new delivery.
    const resentRow = webhooks.rows(failedInvoiceId, 'invoice.created').filter({ hasText: 'resent' }).first();
    const resentId = (await resentRow.getAttribute('data-delivery-id'))!;
    const dialog = await webhooks.details(resentRow);
    await dialog.getByRole('button', { name: 'Resend', exact: true }).click();
    await dialog.getByText(/^Resent invoice\.created: succeeded, HTTP 204 No Content/).waitFor();
    const redeliveries = () => receivedFor(failedInvoiceId).filter((request) => request.headers['till-redelivery'] === 'true');
    await expect.poll(() => redeliveries().length, POLL).toBe(2);
    await expect.poll(() => dialog.getByText(redeliveries()[1]!.headers['till-delivery-id']!).count(), POLL).toBeGreaterThan(0);
    expect(redeliveries()[1]!.headers['till-delivery-id']).not.toBe(resentId);
    await webhooks.closeDetails();
  });

  it("the invoice page shows the event's delivery state per endpoint, with Resend", async () => {
    await page.goto(`${serve.url}/#/invoices/${failedInvoiceId}`);
    const history = invoiceDeliveriesPage(page);
    const created = history.deliveries('invoice.created');
    await created.getByText('Succeeded', { exact: true }).waitFor();
    await created.getByText(/resent/).waitFor();
    const before = receivedFor(failedInvoiceId).length;
    const outcome = await history.resend('invoice.created', receiver.url);
    await outcome.getByText(/^Resent invoice\.created: succeeded/).waitFor();
    expect(receivedFor(failedInvoiceId).length).toBe(before + 1);
    await screenshotFullHeight(page, join('test-results/screenshots', 'invoice-webhook-deliveries.png'), 'light');
    await page.getByRole('link', { name: 'Open this invoice’s webhook delivery log' }).click();
    await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();
    await expect
      .poll(() => page.getByRole('search', { name: 'Filter deliveries' }).getByLabel('Invoice ID').inputValue(), POLL)
      .toBe(failedInvoiceId);
    await webhooksPage(page).clearFilters();
  });

  it('"Resend failed since…" says how many it queued; a rotated secret is shown once and signs beside the old one', async () => {
    const webhooks = webhooksPage(page);
    // Everything failed has been resent and delivered since: nothing is left to queue.
    const answer = await webhooks.resendFailedSince();
    await answer.getByText(/^Nothing to resend/).waitFor();
    await webhooks.closeResendFailed();

    const { secret, overlapText } = await webhooks.rotateSecret(receiver.url, 24);
    expect(overlapText).toMatch(/keeps signing beside the new one until/);
    // Only the new secret at the receiver: the request still verifies, because both secrets sign it.
    receiver.secrets.splice(0, receiver.secrets.length, secret);
    const outcome = await webhooks.ping(receiver.url);
    await outcome.getByText(/^Ping delivered: HTTP 204/).waitFor();
    await webhooks
      .endpoint(receiver.url)
      .getByText(/previous …\S+ signs too until/)
      .waitFor();
  });

  it('a failure while the screen is open shows up live, without a reload; the screen looks right in both themes', async () => {
    const webhooks = webhooksPage(page);
    receiver.answer = () => ({ status: 503, body: 'maintenance' });
    const invoice = await uiCall(page, 'invoices.create', {
      chainId: 31337,
      token: 'native',
      amount: '0.03',
      orderId: 'wh-e2e-live',
    });
    const failed = webhooks.rows(invoice.id, 'invoice.created');
    await failed.getByText('HTTP 503 Service Unavailable').waitFor();
    await failed.getByText(/^next (in \d+ s|now)$/).waitFor();
    await webhooks.endpoint(receiver.url).getByText('Failing', { exact: true }).waitFor();
    await screenshotFullHeight(page, join(SCREENSHOT_DIR, 'webhooks.png'), 'light');
    await screenshotFullHeight(page, join('test-results/screenshots', 'webhooks-dark.png'), 'dark');
  });

  it('an empty event choice shows the engine message at the field; the switch disables; delete empties the screen', async () => {
    const webhooks = webhooksPage(page);
    const dialog = await webhooks.edit(receiver.url);
    await dialog.getByRole('radio', { name: 'Only the events chosen below' }).check();
    for (const type of ['invoice.confirmed', 'invoice.expired'])
      await dialog.getByRole('checkbox', { name: new RegExp(`^${type}`) }).uncheck();
    await dialog.getByRole('button', { name: 'Save endpoint' }).click();
    await dialog
      .getByRole('group', { name: 'Events' })
      .getByRole('alert')
      .filter({ hasText: 'List at least one event type' })
      .waitFor();
    await dialog.getByRole('checkbox', { name: /^invoice\.confirmed/ }).check();
    await dialog.getByRole('button', { name: 'Save endpoint' }).click();
    await dialog.waitFor({ state: 'detached' });
    await webhooks.endpoint(receiver.url).getByText('invoice.confirmed', { exact: true }).waitFor();

    await webhooks.setEnabled(receiver.url, false);
    await webhooks.endpoint(receiver.url).getByText('Disabled', { exact: true }).waitFor();
    const [stored] = await uiCall(page, 'webhooks.list', {});
    expect(stored).toMatchObject({ enabled: false, events: ['invoice.confirmed'], disabledReason: null });

    await webhooks.remove(receiver.url);
    await webhooks.emptyEndpoints().waitFor();
  });
});
