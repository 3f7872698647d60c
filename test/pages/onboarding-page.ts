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
