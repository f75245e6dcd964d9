import type { Page, TestInfo } from "@playwright/test";

/** A full-page screenshot kept with the test's results (test-results/<test>/<name>.png) and attached to its report. */
export async function screenshot(page: Page, testInfo: TestInfo, name: string) {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true, animations: "disabled" });
  await testInfo.attach(name, { path, contentType: "image/png" });
}
