import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** First-run onboarding: create a wallet, back up and confirm the words, set the treasury. */
export function onboardingPage(page: Page) {
  return {
    async createWallet(): Promise<string[]> {
      await page.getByRole('button', { name: 'Create a new wallet' }).click();
      const words = page.getByTestId('mnemonic-word');
      await words.nth(23).waitFor();
      const mnemonic = await words.allTextContents();
      // The screen asks for three words by position ("Word #7"); answer each from the grid.
      const labels = await page.getByText(/^Word #\d+$/).allTextContents();
      expect(labels).toHaveLength(3);
      for (const label of labels) {
        const position = Number(/#(\d+)/.exec(label)![1]);
        await page.getByLabel(label.trim(), { exact: true }).fill(mnemonic[position - 1]!.trim());
      }
      await page.getByRole('button', { name: 'Confirm', exact: true }).click();
      return mnemonic.map((word) => word.trim());
    },
    async setTreasury(address: string): Promise<void> {
      await page.getByLabel('Treasury address').fill(address);
      await page.getByRole('button', { name: 'Save treasury address' }).click();
    },
  };
}

/**
 * Signs in with a till serve's one-time login link and goes through onboarding with a new
 * wallet and `treasury`: where the end-to-end tests of the other screens start.
 */
export async function signInAndOnboard(page: Page, loginUrl: string, treasury: string): Promise<void> {
  await page.goto(loginUrl);
  await page.getByRole('heading', { name: 'Welcome to Till' }).waitFor();
  const onboarding = onboardingPage(page);
  await onboarding.createWallet();
  await onboarding.setTreasury(treasury);
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}
