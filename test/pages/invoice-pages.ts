import type { Page } from 'playwright-core';

export function newInvoicePage(page: Page) {
  return {
    async open(): Promise<void> {
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'New invoice' })
        .or(page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'New invoice' }))
        .click();
    },
    async create(input: { chain: string; token: string; amount: string; orderId?: string }): Promise<void> {
      await page.getByLabel('Chain').selectOption({ label: input.chain });
      await page.getByLabel('Token').selectOption({ label: input.token });
      await page.getByLabel('Amount').fill(input.amount);
      if (input.orderId) await page.getByLabel('Order ID').fill(input.orderId);
      await page.getByRole('button', { name: 'Create invoice' }).click();
    },
  };
}

export function invoiceDetailPage(page: Page) {
  return {
    qrImage: () => page.getByRole('img', { name: /^Payment QR code/ }),
    depositAddress: () => page.getByLabel('Deposit address', { exact: false }).first(),
  };
}

export function invoicesPage(page: Page) {
  return {
    async open(): Promise<void> {
      const nav = page.getByRole('navigation', { name: 'Main' });
      await nav
        .getByRole('link', { name: 'Invoices' })
        .or(nav.getByRole('button', { name: 'Invoices' }))
        .click();
    },
    list: () => page.getByLabel('Invoices', { exact: true }),
    async search(text: string): Promise<void> {
      await page.getByRole('searchbox', { name: 'Search' }).fill(text);
    },
  };
}
