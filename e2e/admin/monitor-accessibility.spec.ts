import { ADMIN, failedCheckoutInItsOwnBrowser } from "../support/admin";
import { seriousViolations } from "../support/axe";
import { expect, test } from "../support/fixtures";
import { expectNoSidewaysScroll } from "../support/layout";
import { screenshot } from "../support/screenshots";
import { signInAs } from "../support/shop";

test("the saga list and a saga's detail pass an axe check, and fit a phone @phone", async ({ page, browser, stock }, testInfo) => {
  // A checkout in a second browser, then two pages checked by axe: more than the default 30 s on a busy machine.
  test.slow();
  await stock.set("pocket-unicorn", 10);
  const shopper = await failedCheckoutInItsOwnBrowser(browser, "admin-axe");

  // The admin on this project's device (a phone on the phone project).
  await signInAs(page, ADMIN);
  await page.goto("/admin/sagas");
  await expect(page.getByTestId("saga-table")).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await expectNoSidewaysScroll(page);

  // The search that finds it is another journey's (failed-checkouts.spec.ts): straight to it here.
  await page.goto(`/admin/sagas/${shopper.sagaId}`);
  await expect(page.getByTestId("saga-status")).toHaveText("Compensated");
  expect(await seriousViolations(page)).toEqual([]);
  await expectNoSidewaysScroll(page);
  await screenshot(page, testInfo, `admin-saga-${testInfo.project.name}`);
});

test("the rules and queues pages, and a confirmation dialog, pass an axe check; a rebuild is queued once confirmed @phone", async ({ page }) => {
  test.slow();
  await signInAs(page, ADMIN);
  await page.goto("/admin/rules");
  await expect(page.getByTestId("rule-row").first()).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await expectNoSidewaysScroll(page);

  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Queues" }).click();
  await expect(page.getByTestId("queue-row").first()).toBeVisible();
  await expect(page.getByTestId("throughput-summary")).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await expectNoSidewaysScroll(page);

  // The dialog is modal: it takes focus, is checked as it stands, and gives focus back when dismissed.
  const rebuild = page.getByRole("button", { name: "Rebuild projections" });
  await rebuild.click();
  const dialog = page.getByRole("dialog", { name: "Rebuild every loyalty projection?" });
  await expect(dialog.getByRole("button", { name: "Go back" })).toBeFocused();
  expect(await seriousViolations(page)).toEqual([]);
  await dialog.getByRole("button", { name: "Go back" }).click();
  await expect(dialog).toBeHidden();
  await expect(rebuild).toBeFocused();

  // Confirmed, the rebuild is queued for a loyalty worker, and the page says so.
  await rebuild.click();
  await dialog.getByRole("button", { name: "Rebuild them" }).click();
  await expect(page.getByTestId("action-message")).toContainText("Rebuild queued");
});
