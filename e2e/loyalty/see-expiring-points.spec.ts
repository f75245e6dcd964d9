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

test("Pat's dashboard offers no redemption that gives him nothing: it sends his points to checkout", async ({ page }) => {
  await page.goto("/sign-in?next=%2Fpoints");
  await signIn(page, PAT);
  await expect(page.getByTestId("points-available")).toHaveText("250 points");

  await expect(page.getByLabel("Points to redeem")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Redeem" })).toHaveCount(0);
  const useThem = page.getByTestId("points-use-at-checkout");
  await expect(useThem.getByRole("heading", { name: "Use your points at checkout" })).toBeVisible();
  await expect(useThem).toContainText("Your 250 points can pay for part of your next unicorn.");
  await expect(useThem).toContainText("The points that expire first are used first.");
  await useThem.getByRole("link", { name: "Browse the unicorns" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId("product-classic-unicorn")).toBeVisible();
});
