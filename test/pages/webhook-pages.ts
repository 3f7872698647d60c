import type { Locator, Page } from 'playwright-core';

/** The Webhooks screen: endpoints with their actions, the delivery log and a delivery's detail. */
export function webhooksPage(page: Page) {
  const log = () => page.getByRole('table', { name: 'Webhook deliveries' });
  const endpoint = (url: string) => page.getByRole('article', { name: url });

  /** Reads the secret a dialog shows once, then confirms it was stored. */
  const takeSecret = async (title: string): Promise<string> => {
    const dialog = page.getByRole('dialog', { name: title });
    await dialog.getByText('Shown once.').waitFor();
    const secret = (await dialog.getByLabel('Signing secret', { exact: true }).textContent())?.trim() ?? '';
    if (!secret.startsWith('whsec_')) throw new Error(`no signing secret in the dialog "${title}" (found "${secret}")`);
    await dialog.getByRole('button', { name: 'I have stored the secret' }).click();
    await dialog.waitFor({ state: 'detached' });
    return secret;
  };

  return {
    async open(): Promise<void> {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Webhooks' }).click();
      await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();
    },
    emptyEndpoints: () => page.getByText("No webhook endpoints yet — add your shop's URL"),
    addDialog: () => page.getByRole('dialog', { name: 'Add a webhook endpoint' }),
    /** Opens the add dialog, fills it and submits; the dialog stays open when the engine refuses. */
    async submitEndpoint(input: { url: string; description?: string }): Promise<void> {
      const dialog = page.getByRole('dialog', { name: 'Add a webhook endpoint' });
      if (!(await dialog.isVisible())) await page.getByRole('button', { name: 'Add endpoint' }).first().click();
      await dialog.getByLabel('Endpoint URL').fill(input.url);
      if (input.description !== undefined) await dialog.getByLabel('Description').fill(input.description);
      await dialog.getByRole('button', { name: 'Add endpoint' }).click();
    },
    /** After a successful submit: the secret shown once. */
    takeCreatedSecret: () => takeSecret('Endpoint added: copy its signing secret'),
    endpoint,
    /** Presses "Send test ping" and returns the card's inline outcome. */
    async ping(url: string): Promise<Locator> {
      await endpoint(url)
        .getByRole('button', { name: `Send test ping to ${url}` })
        .click();
      return endpoint(url).getByRole('status');
    },
    /** Rotates the secret with the given overlap and returns the new secret (shown once). */
    async rotateSecret(url: string, overlapHours: number): Promise<{ secret: string; overlapText: string }> {
      await endpoint(url)
        .getByRole('button', { name: `Rotate secret of ${url}` })
        .click();
      const confirm = page.getByRole('alertdialog', { name: 'Rotate the signing secret?' });
      await confirm.getByLabel('Old secret keeps signing for (hours)').fill(String(overlapHours));
      await confirm.getByRole('button', { name: 'Rotate secret' }).click();
      const dialog = page.getByRole('dialog', { name: 'New signing secret' });
      const overlapText = (await dialog.getByText(/The old secret/).textContent()) ?? '';
      return { secret: await takeSecret('New signing secret'), overlapText };
    },
    /** Opens the edit dialog of an endpoint. */
    async edit(url: string): Promise<Locator> {
      await endpoint(url)
        .getByRole('button', { name: `Edit ${url}` })
        .click();
      return page.getByRole('dialog', { name: 'Edit webhook endpoint' });
    },
    async setEnabled(url: string, on: boolean): Promise<void> {
      await endpoint(url)
        .getByRole('switch', { name: `Enabled: ${url}` })
        .setChecked(on);
    },
    async remove(url: string): Promise<void> {
      await endpoint(url)
        .getByRole('button', { name: `Delete ${url}` })
        .click();
      await page
        .getByRole('alertdialog', { name: 'Delete this endpoint?' })
        .getByRole('button', { name: 'Delete endpoint' })
        .click();
      await endpoint(url).waitFor({ state: 'detached' });
    },
    log,
    logRows: () => log().locator('tbody tr'),
    /** Rows of one invoice's event, newest first. */
    rows: (invoiceId: string, eventType: string) =>
      log()
        .locator('tbody tr')
        .filter({ has: page.locator(`a[title="${invoiceId}"]`) })
        .filter({ has: page.getByRole('button', { name: `${eventType} (details)`, exact: true }) }),
    row: (deliveryId: string) => log().locator(`tr[data-delivery-id="${deliveryId}"]`),
    async filterByStatus(label: string): Promise<void> {
      await page.getByRole('search', { name: 'Filter deliveries' }).getByLabel('Status').selectOption({ label });
    },
    async filterByInvoice(invoiceId: string): Promise<void> {
      await page.getByRole('search', { name: 'Filter deliveries' }).getByLabel('Invoice ID').fill(invoiceId);
    },
    async clearFilters(): Promise<void> {
      await page.getByRole('search', { name: 'Filter deliveries' }).getByRole('button', { name: 'Clear filters' }).click();
    },
    /** Opens a row's detail dialog: facts, attempts, request body. */
    async details(row: Locator): Promise<Locator> {
      await row.getByRole('button', { name: /\(details\)$/ }).click();
      const dialog = page.getByRole('dialog', { name: /^Delivery of / });
      await dialog.getByRole('table', { name: 'Attempts of this delivery' }).waitFor();
      return dialog;
    },
    async closeDetails(): Promise<void> {
      const dialog = page.getByRole('dialog', { name: /^Delivery of / });
      await dialog.getByRole('button', { name: 'Close' }).click();
      await dialog.waitFor({ state: 'detached' });
    },
    /** Presses a row's Resend and returns the log's outcome line. */
    async resend(row: Locator): Promise<Locator> {
      await row.getByRole('button', { name: /^Resend delivery/ }).click();
      return page.getByRole('status').filter({ hasText: /^Resent / });
    },
    /** "Resend failed since…" with the dialog's default time; returns the dialog's answer. */
    async resendFailedSince(): Promise<Locator> {
      await page.getByRole('button', { name: 'Resend failed since…' }).click();
      const dialog = page.getByRole('alertdialog', { name: 'Resend failed deliveries' });
      await dialog.getByRole('button', { name: 'Resend failed deliveries' }).click();
      return dialog.getByRole('status');
    },
    async closeResendFailed(): Promise<void> {
      const dialog = page.getByRole('alertdialog', { name: 'Resend failed deliveries' });
      await dialog.getByRole('button', { name: 'Done' }).click();
      await dialog.waitFor({ state: 'detached' });
    },
  };
}

/** The invoice page's history: each event's webhook deliveries with their resend buttons. */
export function invoiceDeliveriesPage(page: Page) {
  return {
    deliveries: (eventType: string) =>
      page.getByRole('list', { name: 'Invoice events' }).getByRole('list', { name: `Webhook deliveries of ${eventType}` }),
    async resend(eventType: string, url: string): Promise<Locator> {
      await page.getByRole('button', { name: `Resend ${eventType} to ${url}` }).click();
      return page
        .getByRole('list', { name: 'Invoice events' })
        .getByRole('status')
        .filter({ hasText: /^Resent / });
    },
  };
}
