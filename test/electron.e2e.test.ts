/**
 * The desktop app end to end: the built app (out/) in a real Electron, driven by Playwright.
 * Runs only where an Electron binary exists (see support/electron-binary.ts); elsewhere it is
 * skipped with one line. Nothing here imports `electron`, whose index.js would try to download.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ElectronApplication, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methodNames } from '../src/shared/contract.ts';
import { findElectronBinary } from './support/electron-binary.ts';

/** The page's global as the probes below use it (this file is compiled without the DOM lib). */
declare const window: {
  open(url: string): unknown;
  location: { href: string };
  till?: Record<string, (input: unknown) => Promise<unknown>>;
  [key: string]: unknown;
};

const ROOT = resolve(import.meta.dirname, '..');
const TREASURY = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const STEP_TIMEOUT_MS = 30_000;
const TEST_TIMEOUT_MS = 180_000;

const electron = findElectronBinary();
const needsXvfb = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
const xvfbMissing = needsXvfb && spawnSync('sh', ['-c', 'command -v Xvfb'], { stdio: 'ignore' }).status !== 0;

const skipReason = !electron.found
  ? `no Electron binary here (${electron.reason}); on a machine with access to GitHub releases run "npx install-electron" once, or set ELECTRON_BINARY to an Electron 45 executable`
  : xvfbMissing
    ? 'no display and no Xvfb; apt-get install -y xvfb'
    : undefined;
if (skipReason) console.log(`SKIP electron e2e: ${skipReason}`);

/** Starts Xvfb on a free display (-displayfd) and returns it with a stop function. */
async function startXvfb(): Promise<{ display: string; stop: () => void }> {
  const child: ChildProcess = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1440x900x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  const display = await new Promise<string>((resolveDisplay, reject) => {
    let out = '';
    let err = '';
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolveDisplay(`:${out.trim()}`);
    });
    child.once('exit', (code) => reject(new Error(`Xvfb exited with ${code}: ${err}`)));
    child.once('error', reject);
  });
  return { display, stop: () => child.kill() };
}

(skipReason ? describe.skip : describe)('desktop app (Electron)', () => {
  let app: ElectronApplication;
  let page: Page;
  let dataDir: string;
  let xvfb: { display: string; stop: () => void } | undefined;

  beforeAll(async () => {
    if (!electron.found) return;
    if (process.env.TILL_E2E_SKIP_BUILD !== '1') {
      const build = spawnSync(join(ROOT, 'node_modules', '.bin', 'electron-vite'), ['build'], { cwd: ROOT, encoding: 'utf8' });
      if (build.status !== 0) throw new Error(`electron-vite build failed:\n${build.stdout}\n${build.stderr}`);
    }
    if (needsXvfb) xvfb = await startXvfb();
    dataDir = mkdtempSync(join(tmpdir(), 'till-e2e-'));

    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
    delete env.ELECTRON_RENDERER_URL; // the production path: app://till, not a dev server
    delete env.ELECTRON_RUN_AS_NODE;
    env.TILL_DATA_DIR = dataDir;
    // Used only where no OS keychain answers (then the engine picks the file keystore).
    env.TILL_PASSPHRASE ??= 'till-e2e-passphrase';
    if (xvfb) env.DISPLAY = xvfb.display;

    const { _electron } = await import('playwright-core');
    app = await _electron.launch({
      executablePath: electron.path,
      // The project folder: Electron reads package.json ("main": "out/main/index.js", version).
      // Chromium refuses to run as root with its OS sandbox; renderers stay JS-sandboxed.
      args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), '--disable-gpu', ROOT],
      cwd: ROOT,
      env,
      timeout: STEP_TIMEOUT_MS * 2,
    });
    page = await app.firstWindow({ timeout: STEP_TIMEOUT_MS * 2 });
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
  }, TEST_TIMEOUT_MS * 2);

  afterAll(async () => {
    await app?.close().catch(() => undefined);
    xvfb?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it(
    'serves the UI from app://till with the contract bridge and nothing of Node',
    async () => {
      expect(new URL(page.url()).protocol).toBe('app:');
      const probe = await page.evaluate(() => {
        return {
          till: typeof window.till,
          tillKeys: Object.keys(window.till ?? {}),
          require: typeof window.require,
          process: typeof window.process,
          module: typeof window.module,
          ipcRenderer: typeof window.ipcRenderer,
        };
      });
      expect(probe).toMatchObject({
        till: 'object',
        require: 'undefined',
        process: 'undefined',
        module: 'undefined',
        ipcRenderer: 'undefined',
      });
      expect(probe.tillKeys.sort()).toEqual([...methodNames, 'subscribe'].sort());
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'refuses eval, new windows and navigation away from the app',
    async () => {
      const evalBlocked = await page.evaluate(() => {
        try {
          return (0, eval)('1') !== 1;
        } catch {
          return true;
        }
      });
      expect(evalBlocked).toBe(true);

      const opened = await page.evaluate(() => window.open('about:blank') === null);
      expect(opened).toBe(true);

      const urlBefore = page.url();
      await page.evaluate(() => {
        window.location.href = 'file:///etc/passwd';
      });
      // The refusal happens in the main process before the navigation commits; one more
      // round-trip to the page reads the URL after it.
      expect(await page.evaluate(() => window.location.href)).toBe(urlBefore);
      expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
      expect(app.windows()).toHaveLength(1);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'walks onboarding to the invoices screen',
    async () => {
      await page.getByRole('button', { name: 'Create a new wallet' }).click();

      const wordLocator = page.locator('[data-testid=mnemonic-word]');
      await wordLocator.first().waitFor();
      // A word cell may carry its number ("3. apple"); the word is the last token.
      const words = (await wordLocator.allTextContents()).map((text) => text.trim().split(/\s+/).at(-1) ?? '');
      expect(words).toHaveLength(24);
      expect(words.every((word) => /^[a-z]+$/.test(word))).toBe(true);

      await page
        .getByLabel(/^Word #\d+$/)
        .first()
        .waitFor();
      let filled = 0;
      for (const [index, word] of words.entries()) {
        const input = page.getByLabel(`Word #${index + 1}`, { exact: true });
        if ((await input.count()) === 0) continue;
        await input.fill(word);
        filled += 1;
      }
      expect(filled).toBeGreaterThan(0);
      await page.getByRole('button', { name: 'Confirm' }).click();

      await page.getByLabel('Treasury address').fill(TREASURY);
      await page.getByRole('button', { name: 'Save treasury address' }).click();

      await page
        .getByRole('heading', { name: /Invoices/ })
        .first()
        .waitFor();
      expect(await page.title()).toMatch(/Till/);
      const windowTitle = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.getTitle());
      expect(windowTitle).toMatch(/Till/);

      const status = await page.evaluate(() => window.till!['wallet.status']!({}));
      expect(status).toMatchObject({ ok: true });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'opens the customer display window, which may read display.state and nothing else',
    async () => {
      const nextWindow = app.waitForEvent('window', { timeout: STEP_TIMEOUT_MS });
      // Xvfb has one screen: the display opens beside Till.
      const opened = await page.evaluate(() => window.till!['display.openWindow']!({}));
      expect(opened).toEqual({ ok: true, value: { opened: true, screen: 'same' } });
      const display = await nextWindow;
      await display.waitForLoadState('domcontentloaded');
      expect(display.url()).toBe('app://till/display.html');
      expect(await display.evaluate(() => window.till!['display.state']!({}))).toMatchObject({ ok: true });
      expect(await display.evaluate(() => window.till!['invoices.list']!({}))).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
      // A second open brings the same window forward.
      expect(await page.evaluate(() => window.till!['display.openWindow']!({}))).toMatchObject({ ok: true });
      expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(2);
      await app.evaluate(({ BrowserWindow }) =>
        BrowserWindow.getAllWindows()
          .find((window) => window.webContents.getURL().endsWith('/display.html'))
          ?.close(),
      );
      await expect.poll(() => app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'closing the window with no open invoice and no sweep in flight quits Till (the background policy, wired)',
    async () => {
      if (process.platform === 'darwin') return; // macOS keeps an app in the dock by design
      const work = await page.evaluate(() => window.till!['invoices.list']!({ status: 'pending', limit: 1 }));
      expect(work).toMatchObject({ ok: true, value: { items: [] } });
      const closed = new Promise<void>((resolveClosed) => app.once('close', () => resolveClosed()));
      await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.close());
      await closed;
    },
    TEST_TIMEOUT_MS,
  );
});
