import type { Page } from 'playwright-core';

/** The Reports screen: the period picker, a chart per token unit, the totals, fees and invoice counts. */
export function reportsPage(page: Page) {
  const totals = () => page.getByRole('table', { name: 'Totals per token' });
  return {
    async open(): Promise<void> {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports' }).click();
      await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();
    },
    async choosePeriod(label: 'This month' | 'Last month' | 'Last 30 days' | 'Custom'): Promise<void> {
      await page.getByRole('group', { name: 'Period' }).getByRole('button', { name: label, exact: true }).click();
    },
    async setCustom(from: string, to: string): Promise<void> {
      await page.getByLabel('From', { exact: true }).fill(from);
      await page.getByLabel('To (inclusive)', { exact: true }).fill(to);
    },
    received: () => page.getByRole('region', { name: 'Received' }),
    /** The chart of one token unit ("Received per day, ETH"): a figure holding the recharts svg. */
    chart: (symbol: string) => page.getByRole('figure', { name: `Received per day, ${symbol}` }),
    bars: (symbol: string) =>
      page.getByRole('figure', { name: `Received per day, ${symbol}` }).locator('svg .recharts-bar-rectangle path'),
    totalFor: (symbol: string, chain: string) =>
      totals().locator(`tbody tr[data-token="${symbol} · ${chain}"]`).getByTestId('received'),
    invoiceCount: (label: string) =>
      page
        .getByRole('region', { name: 'Invoices created in the period' })
        .locator('div')
        .filter({ hasText: label })
        .locator('dd'),
  };
}
