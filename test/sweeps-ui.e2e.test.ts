import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { formatEther, parseEther, type Address, type Hash } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnvil, type Anvil } from './fixtures/anvil.ts';
import { launchChromium } from './fixtures/browser.ts';
import { clients, mine, nativeBalance, sendNative } from './fixtures/chain-actions.ts';
import { tempDataDir } from './fixtures/engine.ts';
import { freshAddress } from './fixtures/sweep-harness.ts';
import { startTillServe, writeAnvilConfig, type TillServe } from './fixtures/till-serve.ts';
import { newInvoicePage } from './pages/invoice-pages.ts';
import { signInAndOnboard } from './pages/onboarding-page.ts';
import { invoicePaymentsPage } from './pages/payment-pages.ts';
import { SCREENSHOT_DIR, screenshotFullHeight } from './pages/screenshots.ts';
import { sweepsPage } from './pages/sweep-pages.ts';
import { uiCall } from './pages/ui-rpc.ts';

const GAS_FUNDS = parseEther('1');
const PAID = parseEther('0.05');

describe('the Sweeps screen against a real till serve and anvil (Prague)', () => {
  const data = tempDataDir('till-sweeps-ui-');
  const treasury = freshAddress();
  let anvil: Anvil;
  let serve: TillServe;
  let browser: Browser;
  let page: Page;
  let invoiceId = '';
  let deposit: Address;
  let sweepTx: Hash;

  /** Blocks keep coming while the UI is waited on: the sweep is final only at the chain's confirmation depth. */
  async function whileMining<T>(wait: () => Promise<T>): Promise<T> {
    const miner = setInterval(() => void mine(anvil, 1).catch(() => undefined), 300);
    try {
      return await wait();
    } finally {
      clearInterval(miner);
    }
  }

  beforeAll(async () => {
    anvil = await startAnvil({ hardfork: 'prague' });
    // Paused: the policy sends nothing by itself (a 0.05 ETH deposit would go at once under the
    // default 1 % fee limit), so what gets swept is what "Sweep now" sends.
    serve = await startTillServe(data.dir, ['--config', writeAnvilConfig(data.dir, anvil.rpcUrl, { sweep: { paused: true } })]);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await signInAndOnboard(page, serve.loginUrl, treasury);
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await anvil?.stop();
    data.cleanup();
  });

  it('shows the treasury, the funded gas account with its QR code, and a paid invoice in "Ready to sweep"', async () => {
    // The wallet was created in the browser: its gas account (m/44'/60'/1'/0/0) is funded on anvil.
    const { gasAccountAddress } = await uiCall(page, 'sweeps.overview', {});
    expect(gasAccountAddress).toMatch(/^0x[0-9a-fA-F]{40}$/);
    await anvil.rpc('anvil_setBalance', [gasAccountAddress, `0x${GAS_FUNDS.toString(16)}`]);

    await newInvoicePage(page).open();
    await newInvoicePage(page).create({ chain: 'Anvil', token: 'ETH (native)', amount: formatEther(PAID), orderId: 'sweep-e2e' });
    const invoice = invoicePaymentsPage(page);
    await invoice.waitForStatus('Pending');
    invoiceId = invoice.invoiceId();
    deposit = await invoice.depositAddress();
    await sendNative(anvil, { to: deposit, value: PAID });
    await invoice.waitForStatus('Detected');
    await mine(anvil, 2);
    await invoice.waitForStatus('Confirmed');

    const sweeps = sweepsPage(page);
    await sweeps.open();
    expect(await sweeps.treasury().textContent()).toBe(treasury);
    const card = sweeps.card('Anvil');
    await card.getByText('Sweeping paused', { exact: true }).waitFor();
    await card.getByRole('button', { name: 'Resume sweeping' }).waitFor();
    await sweeps.gasBalance('Anvil').filter({ hasText: '1 ETH' }).waitFor();
    await card.getByText(/^Pays for about [\d,]+ sweeps$/).waitFor();
    await sweeps.fundQr('Anvil').waitFor();
    expect(await sweeps.fundQr('Anvil').getAttribute('src')).toMatch(/^data:image\/svg\+xml/);
    await card.getByTitle(gasAccountAddress!).first().waitFor();

    // The planner's own view: the deposit, its value, what it would cost, and that only Sweep now sends it (paused).
    const planned = sweeps.plannedFor('Anvil', deposit);
    await planned.waitFor();
    expect(await sweeps.planned('Anvil').count()).toBe(1);
    const text = (await planned.textContent()) ?? '';
    expect(text).toContain('Native transfer');
    expect(text).toContain('0.05 ETH');
    expect(text).toContain('Paused: would go now (fee within your limit); only Sweep now sends it.');
    const [plan] = await uiCall(page, 'sweeps.plan', { chainId: 31337 });
    expect(text).toContain(plan!.sweeps[0]!.estimatedFee);
    expect(text).toContain(plan!.sweeps[0]!.feeShare!);
    await page.getByRole('region', { name: 'Sweeps in flight' }).getByText('Nothing in flight', { exact: true }).waitFor();
    await page.getByRole('region', { name: 'History' }).getByText('No sweeps yet', { exact: true }).waitFor();
    await screenshotFullHeight(page, join(SCREENSHOT_DIR, 'sweeps-ready-light.png'), 'light');
    await screenshotFullHeight(page, join(SCREENSHOT_DIR, 'sweeps-ready-dark.png'), 'dark');
  });

  it('"Sweep now" shows what it sends, sends it, and the sweep goes from in flight to final in the history', async () => {
    const sweeps = sweepsPage(page);
    const dialog = await sweeps.sweepNow();
    await dialog.getByText(/^0\.05 ETH from 1 address · Native transfer · about/).waitFor();
    await dialog.getByRole('button', { name: 'Send 1 sweep' }).click();
    await dialog.waitFor({ state: 'detached' });
    await sweeps.outcome().filter({ hasText: 'Sent 1 sweep.' }).waitFor();

    // Signed and sent (automine puts it in a block at once); not final before the confirmation depth.
    const inFlight = sweeps.inFlightRows().first();
    await inFlight.waitFor();
    const sweepId = (await inFlight.getAttribute('data-sweep-id'))!;
    const [sweep] = (await uiCall(page, 'sweeps.list', {})).items;
    expect(sweep).toMatchObject({ id: sweepId, kind: 'native', trigger: 'operator', deposits: 1 });
    sweepTx = sweep!.txHash as Hash;
    await inFlight.getByTitle(sweepTx).first().waitFor();
    // A native sweep moves the balance less its own fee: the value shown is what the treasury gets.
    expect(await inFlight.textContent()).toContain(`${sweep!.value} ETH`);

    const final = sweeps.historyRow(sweepId);
    await whileMining(() => final.getByText('Final', { exact: true }).waitFor());
    await page.getByRole('region', { name: 'Sweeps in flight' }).getByText('Nothing in flight', { exact: true }).waitFor();

    // Exact on chain: the treasury received the deposit less what the receipt says the transfer paid.
    const receipt = await clients(anvil).public.getTransactionReceipt({ hash: sweepTx });
    expect(receipt.status).toBe('success');
    expect(receipt.from.toLowerCase()).toBe(deposit.toLowerCase());
    const fee = receipt.gasUsed * receipt.effectiveGasPrice;
    expect(await nativeBalance(anvil, treasury)).toBe(PAID - fee);
    expect(await nativeBalance(anvil, deposit)).toBe(0n);
    // The history shows that same gas and the value received, to the wei.
    const row = (await final.textContent()) ?? '';
    expect(row).toContain(`${formatEther(fee)} ETH`);
    expect(row).toContain(`${formatEther(PAID - fee)} ETH`);
    await final.getByTitle(sweepTx).first().waitFor();
    await page.getByText(`Gas spent on the 1 sweep listed: ${formatEther(fee)} ETH`).waitFor();
    await screenshotFullHeight(page, join(SCREENSHOT_DIR, 'sweeps-history-light.png'), 'light');
  });

  it('the invoice shows the settled step with the sweep transaction and its gas cost', async () => {
    await page.goto(`${serve.url}/#/invoices/${invoiceId}`);
    const invoice = invoicePaymentsPage(page);
    await invoice.waitForStatus('Settled');
    const timeline = page.getByRole('list', { name: 'Invoice timeline' });
    const settled = timeline.getByRole('listitem').filter({ hasText: 'Settled to treasury' });
    await settled.locator('time').waitFor();
    await settled.getByTitle(sweepTx).first().waitFor();
    await settled.getByRole('button', { name: `Copy transaction hash ${sweepTx}` }).waitFor();

    const stored = await uiCall(page, 'invoices.get', { id: invoiceId });
    expect(stored.status).toBe('settled');
    expect(stored.sweep?.txHash).toBe(sweepTx);
    const receipt = await clients(anvil).public.getTransactionReceipt({ hash: sweepTx });
    expect(stored.sweep!.gasCost).toBe(formatEther(receipt.gasUsed * receipt.effectiveGasPrice));
    await settled.getByText(`gas ${stored.sweep!.gasCost} ETH`).waitFor();
    expect(await settled.locator('time').getAttribute('datetime')).toBe(stored.settledAt);
    await screenshotFullHeight(page, join(SCREENSHOT_DIR, 'invoice-settled-light.png'), 'light');
  });

  it('resume and pause sweeping per chain from the screen', async () => {
    const sweeps = sweepsPage(page);
    await sweeps.open();
    const card = sweeps.card('Anvil');
    await card.getByRole('button', { name: 'Resume sweeping' }).click();
    await card.getByRole('button', { name: 'Pause sweeping' }).waitFor();
    expect((await uiCall(page, 'sweeps.overview', {})).chains[0]!.settings.paused).toBe(false);
    await card.getByRole('button', { name: 'Pause sweeping' }).click();
    await card.getByRole('button', { name: 'Resume sweeping' }).waitFor();
    await card.getByText('Sweeping paused', { exact: true }).waitFor();
    expect((await uiCall(page, 'sweeps.overview', {})).chains[0]!.settings.paused).toBe(true);
  });
});
