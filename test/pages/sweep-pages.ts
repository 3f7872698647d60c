import type { Page } from 'playwright-core';

/** The Sweeps screen: a chain's card (gas account, ready to sweep), Sweep now, in flight, history. */
export function sweepsPage(page: Page) {
  const inFlight = () => page.getByRole('table', { name: 'Sweeps in flight' });
  const history = () => page.getByRole('table', { name: 'Sweep history' });
  return {
    async open(): Promise<void> {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sweeps' }).click();
      await page.getByRole('heading', { name: 'Sweeps', level: 1 }).waitFor();
    },
    treasury: () => page.getByLabel('Treasury address', { exact: true }),
    card: (chain: string) => page.getByRole('article', { name: chain }),
    gasBalance: (chain: string) => page.getByLabel(`Gas account balance on ${chain}`),
    fundQr: (chain: string) => page.getByRole('img', { name: `QR code to fund the gas account on ${chain}` }),
    planned: (chain: string) => page.getByRole('table', { name: `Planned sweeps on ${chain}` }).locator('tbody tr'),
    plannedFor: (chain: string, address: string) =>
      page
        .getByRole('table', { name: `Planned sweeps on ${chain}` })
        .locator('tbody tr')
        // The plan may spell the address in lower case: the attribute is matched without case (CSS `i`).
        .filter({ has: page.locator(`[title="${address}" i]`) }),
    /** Presses "Sweep now" and returns the dialog that shows what will be sent. */
    async sweepNow(chain?: string) {
      await page.getByRole('button', { name: chain ? `Sweep now on ${chain}` : 'Sweep now', exact: true }).click();
      return page.getByRole('dialog', { name: chain ? `Sweep now on ${chain}` : 'Sweep now' });
    },
    inFlightRows: () => inFlight().locator('tbody tr'),
    historyRows: () => history().locator('tbody tr'),
    historyRow: (sweepId: string) => history().locator(`tbody tr[data-sweep-id="${sweepId}"]`),
    outcome: () => page.getByRole('status').filter({ hasText: /^(Sent|No sweep|Sent to the Till process)/ }),
  };
}
