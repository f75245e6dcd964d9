import { randomUUID } from "node:crypto";
import { newShopper, signIn, signUp } from "../support/accounts";
import { ADMIN, failedCheckoutInItsOwnBrowser, openSagaOf, SUPPORT } from "../support/admin";
import { expect, test } from "../support/fixtures";
import { screenshot } from "../support/screenshots";
import { signInAs } from "../support/shop";

test("a customer who opens the admin monitor gets a 403 page, not the monitor @phone", async ({ page }, testInfo) => {
  // A sign-up and three pages: more than the default 30 s on a busy machine.
  test.slow();
  await signUp(page, newShopper("not-staff"));

  for (const path of ["/admin", `/admin/sagas/${randomUUID()}`, "/admin/rules"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(403);
    await expect(page.getByRole("heading", { name: "This page is for shop operators only" })).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Admin" })).toHaveCount(0);
  }
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" })).toHaveCount(0);
  await screenshot(page, testInfo, `admin-forbidden-${testInfo.project.name}`);
});

test("a visitor is sent to sign in and back to the page asked for; the header leads staff to the monitor", async ({ page }) => {
  // Six pages, each polling the monitor's queries: more than the default 30 s on a busy machine.
  test.slow();
  await page.goto("/admin/queues");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fadmin%2Fqueues$/);
  await signIn(page, ADMIN);
  await expect(page).toHaveURL(/\/admin\/queues$/);
  await expect(page.getByRole("heading", { name: "Queues and projections" })).toBeVisible();

  await page.goto("/");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
  await expect(page).toHaveURL(/\/admin\/sagas$/);
  await expect(page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: /Sagas/ })).toHaveAttribute("aria-current", "page");
  await expect(page.getByTestId("read-only-note")).toHaveCount(0);
});

test("support staff see everything, read-only: no action is offered to them", async ({ page, browser, stock }) => {
  // A checkout in a second browser, then five pages: more than the default 30 s on a busy machine.
  test.slow();
  await stock.set("pocket-unicorn", 10);
  // The failed checkout of a shopper with an empty wallet gives the support person a saga to open.
  const shopper = await failedCheckoutInItsOwnBrowser(browser, "support-view");

  await signInAs(page, SUPPORT);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
  await expect(page.getByTestId("read-only-note")).toHaveText("Support: read-only. You can look at everything here; ask an admin to act.");
  await expect(page.getByRole("button", { name: "Retry all matching" })).toHaveCount(0);

  await openSagaOf(page, shopper.email);
  await expect(page.getByTestId("saga-status")).toHaveText("Compensated");
  // Paying failed (a business refusal), so only the reservation was undone.
  await expect(page.getByTestId("timeline-step")).toHaveCount(3);
  await expect(page.getByText("Support staff can look but not act: ask an admin to retry, redrive or cancel.")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Actions" })).toHaveCount(0);

  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Queues" }).click();
  await expect(page.getByTestId("queue-health")).toBeVisible();
  await expect(page.getByRole("button", { name: "Rebuild projections" })).toHaveCount(0);

  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Rules" }).click();
  await expect(page.getByTestId("rule-row").first()).toBeVisible();
  await expect(page.getByRole("switch")).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "New rule" })).toHaveCount(0);
});
