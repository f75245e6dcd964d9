import type { Page } from "@playwright/test";
import { newShopper, signUp } from "../support/accounts";
import { ADMIN, openAdminPage, SUPPORT } from "../support/admin";
import { seriousViolations } from "../support/axe";
import { expect, test } from "../support/fixtures";
import { expectNoSidewaysScroll } from "../support/layout";
import { openPointsDashboard } from "../support/points";
import { screenshot } from "../support/screenshots";
import { signInAs } from "../support/shop";

const REASON = "Sorry about the late delivery";

/** Opens the points page from the monitor's own navigation, as staff would. */
async function openAdminPoints(page: Page) {
  await page.goto("/admin/rules");
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Points" }).click();
  await expect(page).toHaveURL(/\/admin\/points$/);
  await expect(page.getByRole("heading", { name: "Loyalty points", level: 1 })).toBeVisible();
}

/** Fills in the adjustment and presses the button; confirming (or not) is the test's. */
async function askToAdjust(page: Page, adjustment: { email: string; points: string; reason: string }) {
  await page.getByLabel("Customer email").fill(adjustment.email);
  await page.getByLabel("Points", { exact: true }).fill(adjustment.points);
  await page.getByLabel("Reason").fill(adjustment.reason);
  await page.getByRole("button", { name: "Adjust points" }).click();
}

test("an admin gives a new shopper 40 points with a reason: confirmed, announced, listed and on the shopper's dashboard; taking back more is refused", async ({
  page,
  browser,
}) => {
  // A sign-up, two people in two browsers and a worker projecting the points: more than the default 30 s when busy.
  test.slow();
  const shopper = newShopper("gift");
  await signUp(page, shopper);

  const admin = await openAdminPage(browser);
  await openAdminPoints(admin);
  await askToAdjust(admin, { email: shopper.email, points: "40", reason: REASON });
  const give = admin.getByRole("dialog", { name: `Give 40 points to ${shopper.email}?` });
  await expect(give).toContainText(`Reason: “${REASON}”.`);
  await give.getByRole("button", { name: "Give the points" }).click();
  await expect(admin.getByTestId("adjust-message")).toHaveText(`Gave 40 points to ${shopper.email}.`);
  // The form is empty again for the next adjustment, and the audit log's line is at the top of the list.
  await expect(admin.getByLabel("Customer email")).toHaveValue("");
  const latest = admin.getByTestId("adjustment-entry").first();
  await expect(latest).toContainText(`Gave 40 points to ${shopper.email} (${REASON}).`);
  await expect(latest).toContainText(`By ${ADMIN.email}`);

  // The shop counts from the customer's own event stream, not the dashboard's read model: the refusal is exact at once.
  await askToAdjust(admin, { email: shopper.email, points: "-50", reason: "Given by mistake" });
  await admin.getByRole("dialog", { name: `Take 50 points from ${shopper.email}?` }).getByRole("button", { name: "Take the points" }).click();
  const points = admin.getByLabel("Points", { exact: true });
  await expect(points).toHaveAttribute("aria-invalid", "true");
  await expect(points).toHaveAccessibleDescription("The customer has 40 points available; deducting 50 points would take them below zero.");
  await expect(admin.getByTestId("adjust-message")).toHaveText("");
  await admin.context().close();

  // The loyalty worker projects the adjustment within seconds; the reason is the shopper's to read too.
  await page.goto("/");
  await openPointsDashboard(page);
  await expect(page.getByTestId("points-available")).toHaveText("40 points", { timeout: 15_000 });
  await expect(page.getByTestId("points-history-entry").first()).toContainText(`Added 40 points: ${REASON}`);
});

test("an answer lost on the way: the admin tries the same adjustment again, and the shop gives the points once", async ({ page, browser }) => {
  test.slow();
  const shopper = newShopper("lost-answer");
  await signUp(page, shopper);

  const admin = await openAdminPage(browser);
  // The first request reaches the shop and is carried out; its answer never reaches the browser.
  await admin.route(
    "**/api/trpc/*admin.loyalty.adjust*",
    async (route) => {
      await route.fetch();
      await route.abort("connectionreset");
    },
    { times: 1 },
  );
  await openAdminPoints(admin);
  await askToAdjust(admin, { email: shopper.email, points: "40", reason: REASON });
  await admin.getByRole("dialog", { name: `Give 40 points to ${shopper.email}?` }).getByRole("button", { name: "Give the points" }).click();
  await expect(admin.getByText("We couldn't reach the shop. Check your connection and try again.")).toHaveAttribute("role", "alert");

  // Tried again as it stands: the same idempotency key, so the shop answers with the first try's result.
  await admin.getByRole("button", { name: "Adjust points" }).click();
  await admin.getByRole("dialog", { name: `Give 40 points to ${shopper.email}?` }).getByRole("button", { name: "Give the points" }).click();
  await expect(admin.getByTestId("adjust-message")).toHaveText(
    `Gave 40 points to ${shopper.email}. An earlier try had already done it: nothing was done twice.`,
  );
  const entries = admin.getByTestId("adjustment-entry").filter({ hasText: shopper.email });
  await expect(entries).toHaveCount(2);
  await expect(entries.first()).toContainText(`Repeated request, nothing changed: Gave 40 points to ${shopper.email}`);
  await expect(entries.nth(1)).toContainText(`Gave 40 points to ${shopper.email} (${REASON}).`);
  await admin.context().close();
});

test("the form asks nothing until it says whom, how many and why; the server's refusals land on the field they are about", async ({ page }) => {
  test.slow();
  await signInAs(page, ADMIN);
  await openAdminPoints(page);

  await page.getByRole("button", { name: "Adjust points" }).click();
  await expect(page.getByRole("dialog")).toBeHidden();
  await expect(page.getByLabel("Customer email")).toHaveAccessibleDescription("Enter the customer's email.");
  await expect(page.getByLabel("Points", { exact: true })).toHaveAccessibleDescription("Enter a whole number of points, like 40, or -15 to deduct.");
  await expect(page.getByLabel("Reason")).toHaveAccessibleDescription("Say why the points are being adjusted.");

  // An address no one has signed up with; the reason's length is the server's rule, checked first.
  const nobody = newShopper("nobody").email;
  await askToAdjust(page, { email: nobody, points: "40", reason: "ok" });
  await page.getByRole("dialog", { name: `Give 40 points to ${nobody}?` }).getByRole("button", { name: "Give the points" }).click();
  await expect(page.getByLabel("Reason")).toHaveAccessibleDescription("Say why the points are being adjusted (3 characters or more).");

  await page.getByLabel("Reason").fill(REASON);
  await page.getByRole("button", { name: "Adjust points" }).click();
  await page.getByRole("dialog", { name: `Give 40 points to ${nobody}?` }).getByRole("button", { name: "Give the points" }).click();
  await expect(page.getByLabel("Customer email")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Customer email")).toHaveAccessibleDescription("There is no customer with that email.");
  await expect(page.getByLabel("Reason")).not.toHaveAttribute("aria-invalid");
  await expect(page.getByTestId("adjust-message")).toHaveText("");
});

test("support staff see the recent adjustments, and no form to adjust points", async ({ page }) => {
  await signInAs(page, SUPPORT);
  await openAdminPoints(page);
  await expect(page.getByText("Only admins can adjust points: ask an admin to give a customer points or take some back.")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Recent adjustments" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Adjust a customer's points" })).toHaveCount(0);
  await expect(page.getByLabel("Customer email")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Adjust points" })).toHaveCount(0);
});

test("the points page and its confirmation pass an axe check and fit a phone; going back adjusts nothing @phone", async ({ page }, testInfo) => {
  test.slow();
  await signInAs(page, ADMIN);
  await openAdminPoints(page);
  expect(await seriousViolations(page)).toEqual([]);
  await expectNoSidewaysScroll(page);

  // An address without a hyphen is one long word: the question wraps it rather than reaching past a phone's edge.
  const email = `averylongaddresswithnowhereforalinetobreak${Date.now().toString(36)}@example.com`;
  await askToAdjust(page, { email, points: "-15", reason: REASON });
  const dialog = page.getByRole("dialog", { name: `Take 15 points from ${email}?` });
  await expect(dialog.getByRole("button", { name: "Go back" })).toBeFocused();
  expect(await seriousViolations(page)).toEqual([]);
  expect(await dialog.evaluate((element) => element.scrollWidth <= element.clientWidth), "the question fits the dialog").toBe(true);
  await dialog.getByRole("button", { name: "Go back" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("button", { name: "Adjust points" })).toBeFocused();
  await expect(page.getByTestId("adjust-message")).toHaveText("");
  await screenshot(page, testInfo, `admin-points-${testInfo.project.name}`);
});
