import type { Page } from 'playwright-core';

function mainNav(page: Page) {
  return page.getByRole('navigation', { name: 'Main' });
}

/** The invoice detail screen's live parts: status badges, payments, actions. */
export function invoicePaymentsPage(page: Page) {
  const paymentsTable = () => page.getByRole('table', { name: 'Payments to this invoice' });
  return {
    status: () => page.getByRole('group', { name: 'Invoice status' }),
    async waitForStatus(label: string): Promise<void> {
      await page.getByRole('group', { name: 'Invoice status' }).getByText(label, { exact: true }).waitFor();
    },
    async depositAddress(): Promise<`0x${string}`> {
      const text = (await page.getByLabel('Deposit address', { exact: false }).first().textContent())?.trim() ?? '';
      if (!/^0x[0-9a-fA-F]{40}$/.test(text)) throw new Error(`no deposit address on the page (found "${text}")`);
      return text as `0x${string}`;
    },
    invoiceId: () => page.url().split('#/invoices/')[1] ?? '',
    paymentRows: () => paymentsTable().locator('tbody tr'),
    paymentRow: (txHash: string) =>
      paymentsTable()
        .locator('tbody tr')
        .filter({ has: page.locator(`[title="${txHash}"]`) }),
    async recheck(): Promise<void> {
      await page.getByRole('button', { name: 'Recheck payments' }).click();
    },
    history: () => page.getByRole('list', { name: 'Invoice events' }),
  };
}

export function chainHealthPage(page: Page) {
  return {
    async open(): Promise<void> {
      await mainNav(page).getByRole('link', { name: 'Chains' }).click();
      await page.getByRole('heading', { name: 'Chains', level: 1 }).waitFor();
    },
    card: (chain: string) => page.getByRole('article', { name: chain }),
    async waitForState(chain: string, state: string): Promise<void> {
      await page.getByRole('article', { name: chain }).getByText(state, { exact: true }).first().waitFor();
    },
    statusBarHealth: () => page.getByRole('contentinfo', { name: 'Engine health' }).getByRole('link', { name: /^Chains:/ }),
    /** Opens the rescan dialog, enters the block and confirms; the dialog stays open if the engine refuses. */
    async rescan(chain: string, fromBlock: number): Promise<void> {
      const dialog = page.getByRole('dialog', { name: `Rescan ${chain}` });
      if (!(await dialog.isVisible())) {
        await page.getByRole('article', { name: chain }).getByRole('button', { name: 'Rescan from block…' }).click();
      }
      await dialog.getByLabel('From block').fill(String(fromBlock));
      await dialog.getByRole('button', { name: 'Rescan', exact: true }).click();
    },
    rescanDialog: (chain: string) => page.getByRole('dialog', { name: `Rescan ${chain}` }),
  };
}

export function alertsPage(page: Page) {
  return {
    async open(): Promise<void> {
      await mainNav(page).getByRole('link', { name: 'Alerts' }).click();
      await page.getByRole('heading', { name: 'Alerts', level: 1 }).waitFor();
    },
    navLink: () => mainNav(page).getByRole('link', { name: /^Alerts/ }),
    statusBarCounter: () => page.getByRole('contentinfo', { name: 'Engine health' }).getByRole('link', { name: /alert/ }),
    list: () => page.getByRole('list', { name: 'Alerts' }),
    item: (type: string) => page.getByRole('list', { name: 'Alerts' }).getByRole('listitem', { name: type }),
    async acknowledge(type: string): Promise<void> {
      await page
        .getByRole('button', { name: new RegExp(`^Acknowledge alert ${type}`) })
        .first()
        .click();
    },
    async showAcknowledged(on: boolean): Promise<void> {
      await page.getByRole('switch', { name: 'Show acknowledged' }).setChecked(on);
    },
  };
}

/** Settings → Chains & tokens: test RPC URLs in the chain form, add an ERC-20 through a chain's token form. */
export function tokenSettingsPage(page: Page) {
  return {
    async open(): Promise<void> {
      await mainNav(page).getByRole('link', { name: 'Settings' }).click();
      await page.getByRole('heading', { name: 'Chains', level: 2 }).waitFor();
    },
    /** Opens the chain's edit form, presses "Test RPC URLs" and returns the results list. */
    async testRpcUrls(chain: string) {
      await page.getByRole('button', { name: `Edit ${chain}` }).click();
      const form = page.getByRole('form', { name: `Edit ${chain}` });
      await form.getByRole('button', { name: 'Test RPC URLs' }).click();
      return form.getByRole('list', { name: 'RPC test results' });
    },
    async closeChainForm(chain: string): Promise<void> {
      await page
        .getByRole('form', { name: `Edit ${chain}` })
        .getByRole('button', { name: 'Cancel' })
        .click();
    },
    async addToken(chain: string, token: { symbol: string; address: string; decimals: number }): Promise<void> {
      const form = page.getByRole('form', { name: `Add a token to ${chain}` });
      await form.getByLabel('Symbol').fill(token.symbol);
      await form.getByLabel('Contract address').fill(token.address);
      await form.getByLabel('Decimals').fill(String(token.decimals));
      await form.getByRole('button', { name: 'Add token' }).click();
      await page
        .getByRole('table', { name: `Tokens on ${chain}` })
        .getByText(token.symbol, { exact: true })
        .waitFor();
    },
  };
}
