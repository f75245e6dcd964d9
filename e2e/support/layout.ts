import { expect, type Page } from "@playwright/test";

/**
 * Nothing reaches past the right edge of the screen. Compared with the configured viewport: a phone browser widens
 * its layout viewport to fit content that overflows, so `window.innerWidth` would grow along with it.
 */
export async function expectNoSidewaysScroll(page: Page) {
  const contentWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(contentWidth).toBeLessThanOrEqual(page.viewportSize()!.width);
}
