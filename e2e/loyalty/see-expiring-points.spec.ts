import { signIn } from "../support/accounts";
import { expect, test } from "../support/fixtures";
import { expectNoSidewaysScroll } from "../support/layout";
import { datesAfter } from "../support/points";
import { screenshot } from "../support/screenshots";
import { PAT } from "../support/shop";

test.use({ timezoneId: "UTC", locale: "en-US" });

/** The seed gives Pat 250 points that expire 10 days after seeding (prisma/seed/demo-data.ts); e2e.sh seeds first. */
const GIFT_DAYS = 10;
/** Longest an e2e run could have been going since it seeded. */
const LONGEST_RUN_MS = 2 * 60 * 60 * 1000;

test("Pat is signed in on the way to the dashboard and sees the 250 points expiring soon, with their date @phone", async ({
  page,
}, testInfo) => {
  await page.goto("/points");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fpoints$/);
  await signIn(page, PAT);
  await expect(page).toHaveURL(/\/points$/);
  await expect(page.getByRole("heading", { name: "Your points", level: 1 })).toBeVisible();

  const expiryDate = datesAfter(GIFT_DAYS, new Date(Date.now() - LONGEST_RUN_MS), new Date());
  await expect(page.getByTestId("points-available")).toHaveText("250 points");
  const expiring = page.getByTestId("points-expiring-soon");
  await expect(expiring).toContainText("250");
  await expect(expiring).toContainText("250 points expire on");
  await expect(expiring.locator("time")).toHaveText(expiryDate);

  const lot = page.getByTestId("points-lot");
  await expect(lot).toHaveCount(1);
  await expect(lot).toContainText("250 of 250");
  await expect(lot).toContainText("Expiring soon");
  await expect(lot.getByTestId("points-lot-expires")).toHaveText(expiryDate);
  await expect(page.getByTestId("points-history-entry").first()).toContainText("Added 250 points: Welcome back gift");

  await expectNoSidewaysScroll(page);
  await screenshot(page, testInfo, `points-expiring-soon-${testInfo.project.name}`);
});

test("redeeming more points than Pat has is refused with the numbers, and nothing is taken", async ({ page }) => {
  await page.goto("/sign-in?next=%2Fpoints");
  await signIn(page, PAT);
  await expect(page.getByTestId("points-available")).toHaveText("250 points");

  await page.getByLabel("Points to redeem").fill("1000");
  await page.getByRole("button", { name: "Redeem" }).click();
  await expect(page.locator("form").getByRole("alert")).toHaveText("You have 250 points available; you asked to redeem 1,000 points.");
  await expect(page.getByLabel("Points to redeem")).toHaveAttribute("aria-invalid", "true");

  await page.getByLabel("Points to redeem").fill("ten");
  await page.getByRole("button", { name: "Redeem" }).click();
  await expect(page.locator("form").getByRole("alert")).toHaveText("Enter a whole number of points, like 50.");

  await page.reload();
  await expect(page.getByTestId("points-available")).toHaveText("250 points");
  await expect(page.getByTestId("points-history-entry")).toHaveCount(1);
});
