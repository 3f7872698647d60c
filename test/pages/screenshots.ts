import type { Page } from 'playwright-core';

/** UPDATE_SCREENSHOTS=1 refreshes the pictures in the docs; otherwise screenshots go to test-results/. */
export const SCREENSHOT_DIR = process.env.UPDATE_SCREENSHOTS ? 'docs/screenshots' : 'test-results/screenshots';

/**
 * A screenshot of the whole current screen in one colour scheme. The shell scrolls inside
 * <main>, so the window is made as tall as the content for the picture, then put back.
 */
export async function screenshotFullHeight(page: Page, path: string, colorScheme: 'light' | 'dark' = 'light'): Promise<void> {
  const viewport = page.viewportSize()!;
  const overflow = await page
    .locator('main')
    .evaluate((main: { scrollHeight: number; clientHeight: number }) => main.scrollHeight - main.clientHeight);
  await page.setViewportSize({ width: viewport.width, height: viewport.height + Math.max(0, overflow) });
  await page.emulateMedia({ colorScheme });
  // animations: 'disabled' completes the colour transitions the theme switch starts.
  await page.screenshot({ path, animations: 'disabled' });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize(viewport);
}
