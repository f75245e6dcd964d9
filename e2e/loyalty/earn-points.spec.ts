import { AxeBuilder } from "@axe-core/playwright";
import { newShopper, signUp } from "../support/accounts";
import { holdLoyaltyProjections } from "../support/database";
import { expect, test } from "../support/fixtures";
import { expectNoSidewaysScroll } from "../support/layout";
import { datesAfter, openPointsDashboard } from "../support/points";
import { screenshot } from "../support/screenshots";
import { buy, expectOrderConfirmed, topUp } from "../support/shop";

// Dates on the dashboard are in the reader's time zone: the expected ones are worked out in UTC.
test.use({ timezoneId: "UTC", locale: "en-US" });

test("a purchase of the Classic Unicorn earns 100 points, shown live on the dashboard with a lot for a year, and the dashboard sends them to checkout @phone", async ({
  page,
  stock,
  campaignRules,
}, testInfo) => {
  // A whole journey (sign up, top up, buy, earn) through a real worker: more than the default 30 s when busy.
  test.slow();
  await stock.set("classic-unicorn", 1);
  // $120.00 earns 100 points under the seeded threshold rule; no double points, whatever the date.
  await campaignRules.withoutMultipliers();
  await signUp(page, newShopper("points"));
  await topUp(page, 120);

  // The dashboard stays open in a tab of its own while the customer buys in another.
  const dashboard = await page.context().newPage();
  await dashboard.goto("/");
  await openPointsDashboard(dashboard);
  await expect(dashboard.getByTestId("points-available")).toHaveText("0 points");
  await expect(dashboard.getByText("No points yet. Purchases earn points, and they will show up here.")).toBeVisible();

  // The points are awarded while the projections are held, as during a rebuild: the dashboard says it is catching up.
  const releaseProjections = await holdLoyaltyProjections();
  const boughtFrom = new Date();
  try {
    await buy(page, "classic-unicorn");
    await expectOrderConfirmed(page);
    await expect(dashboard.getByTestId("points-catching-up")).toHaveText(
      "Your points are catching up… the latest changes will show here in a moment.",
      { timeout: 15_000 },
    );
    await expect(dashboard.getByTestId("points-available")).toHaveText("0 points");
  } finally {
    await releaseProjections();
  }

  // No reload: the dashboard polls, and the loyalty worker awards and projects the purchase within seconds.
  await expect(dashboard.getByTestId("points-available")).toHaveText("100 points", { timeout: 15_000 });
  const awardedBy = new Date();
  await expect(dashboard.getByTestId("points-this-week")).toContainText("100");
  const lot = dashboard.getByTestId("points-lot");
  await expect(lot).toHaveCount(1);
  await expect(lot).toContainText("100 of 100");
  await expect(lot).toContainText("Active");
  await expect(lot.getByTestId("points-lot-expires")).toHaveText(datesAfter(365, boughtFrom, awardedBy));
  await expect(dashboard.getByTestId("points-expiring-soon")).toContainText("Nothing expires in the next 30 days.");

  const history = dashboard.getByTestId("points-history-entry");
  await expect(history).toHaveCount(1);
  await expect(history.first()).toContainText(/Earned 100 points for order #[0-9A-F]{8}/);
  await expect(history.first()).toContainText("+100");
  await expect(dashboard.getByRole("img", { name: /^Chart of your points balance: 100 points since / })).toBeVisible();
  await expect(dashboard.getByTestId("points-chart-summary")).toHaveText(
    "Over this change: earned 100, redeemed 0, expired 0; balance now 100 points.",
  );
  await expect(dashboard.getByTestId("points-catching-up")).toHaveCount(0);

  // No redemption that gives nothing in return: the points are spent at checkout, and the dashboard says where.
  await expect(dashboard.getByLabel("Points to redeem")).toHaveCount(0);
  const useThem = dashboard.getByTestId("points-use-at-checkout");
  await expect(useThem).toContainText("Your 100 points can pay for part of your next unicorn.");
  await useThem.getByRole("link", { name: "Browse the unicorns" }).click();
  await expect(dashboard).toHaveURL(/\/$/);
  await dashboard.goBack();
  await expect(dashboard.getByTestId("points-available")).toHaveText("100 points");

  await expectNoSidewaysScroll(dashboard);
  const accessibility = await new AxeBuilder({ page: dashboard }).withTags(["wcag2a", "wcag2aa"]).analyze();
  expect(accessibility.violations).toEqual([]);
  await screenshot(dashboard, testInfo, `points-after-purchase-${testInfo.project.name}`);
});

test("on a double-points day the same purchase earns 200 points", async ({ page, stock, campaignRules }) => {
  await stock.set("classic-unicorn", 1);
  await campaignRules.withoutMultipliers();
  await campaignRules.addMultiplier({ name: "Double points (e2e)", factor: 2, minutes: 30 });
  await signUp(page, newShopper("double-points"));
  await topUp(page, 120);

  await buy(page, "classic-unicorn");
  await expectOrderConfirmed(page);

  await openPointsDashboard(page);
  await expect(page.getByTestId("points-available")).toHaveText("200 points", { timeout: 15_000 });
  await expect(page.getByTestId("points-lot")).toContainText("200 of 200");
  await expect(page.getByTestId("points-history-entry").first()).toContainText(/Earned 200 points for order #/);
});
