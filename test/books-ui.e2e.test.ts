import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { parseEther, type Address } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnvil, type Anvil } from './fixtures/anvil.ts';
import { launchChromium } from './fixtures/browser.ts';
import { sendNative } from './fixtures/chain-actions.ts';
import { tempDataDir } from './fixtures/engine.ts';
import { waitFor } from './fixtures/ports.ts';
import { freshAddress } from './fixtures/sweep-harness.ts';
import { startTillServe, writeAnvilConfig, type TillServe } from './fixtures/till-serve.ts';
import { backupsPage, doctorPage, exportsPage } from './pages/books-pages.ts';
import { signInAndOnboard } from './pages/onboarding-page.ts';
import { SCREENSHOT_DIR, screenshotFullHeight } from './pages/screenshots.ts';
import { uiCall } from './pages/ui-rpc.ts';

const PAYMENTS_HEADER =
  'time,invoice_id,order_id,chain_id,chain,token,token_address,amount,payer,to_address,tx_hash,log_index,block_number,confirmations,status,counted';

describe('keeping the books in the browser UI against a real till serve and anvil', () => {
  const data = tempDataDir('till-books-ui-');
  let anvil: Anvil;
  let stopped: Anvil;
  let serve: TillServe;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    anvil = await startAnvil();
    // A second chain whose node is stopped once Till knows it: the Doctor's real problem.
    stopped = await startAnvil({ chainId: 31338 });
    serve = await startTillServe(data.dir, ['--config', writeAnvilConfig(data.dir, anvil.rpcUrl)]);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: 'light', acceptDownloads: true });
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await signInAndOnboard(page, serve.loginUrl, freshAddress());
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await anvil?.stop();
    await stopped?.stop();
    data.cleanup();
  });

  it('downloads the payments of a period as the API exports them, and nothing for a period without any', async () => {
    const invoice = await uiCall(page, 'invoices.create', {
      chainId: 31337,
      token: 'native',
      amount: '0.02',
      orderId: 'books-1',
    });
    const txHash = await sendNative(anvil, { to: invoice.address as Address, value: parseEther('0.02') });
    await waitFor(
      async () => (await uiCall(page, 'invoices.get', { id: invoice.id })).status !== 'pending',
      'the payment to be detected',
    );

    const today = new Date().toISOString().slice(0, 10);
    const exports = exportsPage(page);
    await exports.open();
    await exports.setPeriod(today, today);
    const file = await exports.download('payments');
    expect(file.name).toBe(`till-payments-${today}-to-${today}.csv`);
    const lines = file.text.split('\r\n');
    expect(lines[0]).toBe(PAYMENTS_HEADER);
    expect(lines.filter(Boolean)).toHaveLength(2);
    expect(lines[1]).toContain(`,${invoice.id},books-1,31337,Anvil,ETH,,0.02,`);
    expect(lines[1]).toContain(`,${txHash},`);

    // The same bytes as the merchant API's export for that period (to is exclusive: the next day).
    const { secret } = await uiCall(page, 'apiKeys.create', { name: 'books e2e', scopes: ['invoices:read'] });
    const next = new Date(Date.parse(`${today}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const api = await fetch(`${serve.url}/api/v1/exports/payments.csv?from=${today}&to=${next}`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(api.status).toBe(200);
    expect(file.text).toBe(await api.text());

    await exports.preset('Last year').click();
    const empty = await exports.download('payments');
    expect(empty.text).toBe(`${PAYMENTS_HEADER}\r\n`);
    const invoices = await exports.download('invoices');
    expect(invoices.text.split('\r\n')[0]).toMatch(/^invoice_id,order_id,created_at,/);

    // A period that ends before it starts offers no download (a date field cannot hold a day that
    // does not exist; the route refuses one, see ui-bridge-exports.test.ts).
    await exports.setPeriod(today, `${Number(today.slice(0, 4)) - 1}${today.slice(4)}`);
    await page.getByText('The period starts after it ends.').waitFor();
    expect(await page.getByRole('link', { name: 'Download payments CSV' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Download payments CSV' }).and(page.locator(':disabled')).waitFor();
    const refused = await page.evaluate(async () => (await fetch('/ui/exports/payments.csv?from=2026-11-31')).status);
    expect(refused).toBe(400);
    await exports.setPeriod(today, today);
    await screenshotFullHeight(page, join(SCREENSHOT_DIR, 'settings-exports-light.png'), 'light');
  });

  it('the Doctor runs the checks on demand and shows a stopped RPC node as a problem with its remedy', async () => {
    await uiCall(page, 'chains.save', {
      chainId: 31338,
      name: 'Stopped chain',
      rpcUrls: [stopped.rpcUrl],
      confirmations: 1,
      pollIntervalMs: 1000,
    });
    await stopped.stop();

    const doctor = doctorPage(page);
    await doctor.open();
    await page.getByText('No checks run yet').waitFor();
    await doctor.run();
    await doctor.summary().waitFor();

    const down = doctor.check('chain.31338.rpc.1');
    await down.getByText('Problem', { exact: true }).waitFor();
    expect(await down.textContent()).toContain(`Stopped chain (31338): RPC ${stopped.rpcUrl}`);
    await down.getByText('What to do').waitFor();
    await down.getByText(/Check the URL and its API key with till chains test-rpc/).waitFor();
    await doctor.check('chain.31338.scan').getByText('No RPC endpoint answers', { exact: false }).waitFor();
    // The live node is fine, and shows no remedy.
    const up = doctor.check('chain.31337.rpc.1');
    await up.getByText('OK', { exact: true }).waitFor();
    expect(await up.getByText('What to do').count()).toBe(0);

    // Every check of the report is on the screen, in its area, and the summary counts them.
    const report = await uiCall(page, 'doctor.run', {});
    expect(report.level).toBe('problem');
    for (const check of report.checks) expect(await doctor.check(check.id).count(), check.id).toBe(1);
    expect(await doctor.area('Chains').locator('li').count()).toBe(report.checks.filter((c) => c.area === 'chains').length);
    const problems = report.checks.filter((c) => c.level === 'problem').length;
    expect(await doctor.summary().textContent()).toContain(`${problems} problem${problems === 1 ? '' : 's'}`);
    await screenshotFullHeight(page, join(SCREENSHOT_DIR, 'doctor-light.png'), 'light');
    await screenshotFullHeight(page, join(SCREENSHOT_DIR, 'doctor-dark.png'), 'dark');
  });

  it('Back up now adds a backup to the list, and the number kept persists', async () => {
    const backups = backupsPage(page);
    await backups.open();
    const before = (await uiCall(page, 'backups.overview', {})).items.length;
    await backups.backUpNow();
    const outcome = await backups.outcome().textContent();
    const name = /^Backed up to (\S+)\.$/.exec(outcome ?? '')![1]!;
    await backups.row(name).waitFor();
    const overview = await uiCall(page, 'backups.overview', {});
    expect(overview.items).toHaveLength(before + 1);
    expect(overview.items[0]!.name).toBe(name);
    expect(await backups.rows().count()).toBe(before + 1);
    expect(await backups.restoreCommand().textContent()).toBe(`till restore ${overview.items[0]!.path}`);
    await page.getByText(overview.directory, { exact: true }).waitFor();

    await backups.setKeep(3);
    expect((await uiCall(page, 'backups.overview', {})).keep).toBe(3);
    await page.reload();
    await page.getByRole('heading', { name: 'Backups', level: 2 }).waitFor();
    await page.getByText('The newest 3 are kept').waitFor();
    expect(await backups.keepField().inputValue()).toBe('3');
    await screenshotFullHeight(page, join(SCREENSHOT_DIR, 'settings-backups-light.png'), 'light');
  });
});
