import type { Page } from 'playwright-core';

const mainNav = (page: Page) => page.getByRole('navigation', { name: 'Main' });
const settingsTab = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name, exact: true });

/** Settings › Exports: a period, then one download per CSV. */
export function exportsPage(page: Page) {
  return {
    async open(): Promise<void> {
      await mainNav(page).getByRole('link', { name: 'Settings' }).click();
      await settingsTab(page, 'Exports').click();
      await page.getByRole('heading', { name: 'Exports', level: 2 }).waitFor();
    },
    async setPeriod(from: string, through: string): Promise<void> {
      await page.getByLabel('From', { exact: true }).fill(from);
      await page.getByLabel('Through', { exact: true }).fill(through);
    },
    preset: (label: string) => page.getByRole('group', { name: 'Common periods' }).getByRole('button', { name: label }),
    /** Clicks the download and answers with the file's name and text, as the browser saved it. */
    async download(kind: 'invoices' | 'payments' | 'sweeps'): Promise<{ name: string; text: string }> {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: `Download ${kind} CSV` }).click(),
      ]);
      const stream = await download.createReadStream();
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      return { name: download.suggestedFilename(), text: Buffer.concat(chunks).toString('utf8') };
    },
  };
}

/** The Doctor screen: Run checks, the summary, one list of checks per area. */
export function doctorPage(page: Page) {
  return {
    async open(): Promise<void> {
      await mainNav(page).getByRole('link', { name: 'Doctor' }).click();
      await page.getByRole('heading', { name: 'Doctor', level: 1 }).waitFor();
    },
    run: () => page.getByRole('button', { name: /^Run checks( again)?$/ }).click(),
    summary: () => page.getByRole('status').filter({ hasText: /Checked/ }),
    area: (label: string) => page.getByRole('list', { name: `${label} checks` }),
    check: (id: string) => page.locator(`li[data-check-id="${id}"]`),
  };
}

/** Settings › Backups: Back up now, the list, keep-N. */
export function backupsPage(page: Page) {
  return {
    async open(): Promise<void> {
      await mainNav(page).getByRole('link', { name: 'Settings' }).click();
      await settingsTab(page, 'Backups').click();
      await page.getByRole('heading', { name: 'Backups', level: 2 }).waitFor();
    },
    backUpNow: () => page.getByRole('button', { name: 'Back up now' }).click(),
    outcome: () => page.getByRole('status').filter({ hasText: /^Backed up to / }),
    rows: () => page.getByRole('table', { name: 'Backups' }).locator('tbody tr'),
    row: (name: string) => page.getByRole('table', { name: 'Backups' }).locator(`tbody tr[data-backup-name="${name}"]`),
    keepField: () => page.getByLabel('Daily backups to keep'),
    async setKeep(keep: number): Promise<void> {
      await page.getByLabel('Daily backups to keep').fill(String(keep));
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    },
    restoreCommand: () => page.getByLabel('Restore command', { exact: true }),
  };
}
