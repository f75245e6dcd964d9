import { seriousViolations } from "../support/axe";
import { seedPatAfresh } from "../support/database";
import { expect, test } from "../support/fixtures";
import { expectNoSidewaysScroll } from "../support/layout";
import { expectPaidWithPoints, openPointsDashboard } from "../support/points";
import { screenshot } from "../support/screenshots";
import { PAT, signInAs, walletBalanceCents } from "../support/shop";

// Pat spends the seeded $90.00 and 250 points here; every other journey with Pat expects them, so Pat is seeded
// afresh after this test, whatever became of it.
test.afterEach(seedPatAfresh);

test("Pat uses his 250 points, tops up the $17.50 the product page says he is short, and buys the Classic Unicorn for $107.50, still earning 100 points @phone", async ({
  page,
  stock,
  campaignRules,
}, testInfo) => {
  test.slow();
  await stock.set("classic-unicorn", 5);
  // $107.50 paid earns 100 points under the seeded threshold rule (≥ $100); no double points, whatever the date.
  await campaignRules.withoutMultipliers();
  await signInAs(page, PAT);

  // Before choosing: his points and wallet, and how short it is without points.
  await page.goto("/products/classic-unicorn");
  const points = page.getByLabel("Points to use");
  await expect(points).toHaveAccessibleDescription("You have 250 points; this order can use up to 250 points.");
  await expect(page.getByTestId("buy-wallet-balance")).toHaveText("$90.00");
  await expect(page.getByTestId("buy-total")).toHaveText("$120.00");
  await expect(page.getByTestId("buy-shortfall")).toHaveText("You're $30.00 short.");

  // 250 points take $12.50 off: $107.50 to pay, $17.50 more than he has.
  await page.getByRole("button", { name: "Use 250 points" }).click();
  await expect(points).toHaveValue("250");
  await expect(page.getByTestId("buy-discount")).toHaveText("−$12.50");
  await expect(page.getByTestId("buy-total")).toHaveText("$107.50");
  await expect(page.getByTestId("buy-shortfall")).toHaveText("You're $17.50 short.");
  await expectNoSidewaysScroll(page);
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, testInfo, `product-with-points-${testInfo.project.name}`);

  // Top up fills in the shortfall and brings him back with his points still chosen.
  await page.getByRole("link", { name: "Top up $17.50" }).click();
  await expect(page.getByLabel("Amount (USD)")).toHaveValue("17.50");
  await page.getByRole("button", { name: "Top up" }).click();
  await expect(page).toHaveURL(/\/products\/classic-unicorn\?points=250$/);
  await expect(points).toHaveValue("250");
  await expect(page.getByTestId("buy-total")).toHaveText("$107.50");
  await expect(page.getByTestId("buy-wallet-balance")).toHaveText("$107.50");
  await expect(page.getByTestId("buy-shortfall")).toHaveCount(0);

  await page.getByRole("button", { name: "Buy now" }).click();
  await expectPaidWithPoints(page, { product: "Classic Unicorn", points: 250, discount: "$12.50", wallet: "$107.50" });
  expect(await walletBalanceCents(page)).toBe(0);

  // Points are earned on what the wallet paid: $107.50 is still over $100.
  await page.goto("/");
  await openPointsDashboard(page);
  await expect(page.getByTestId("points-available")).toHaveText("100 points", { timeout: 15_000 });
  const history = page.getByTestId("points-history-entry");
  await expect(history).toHaveCount(3);
  await expect(history.nth(0)).toContainText(/Earned 100 points for order #[0-9A-F]{8}/);
  await expect(history.nth(1)).toContainText("250 points");
  await expect(history.nth(1)).toContainText("−250");
  await expect(history.nth(2)).toContainText("Added 250 points: Welcome back gift");
});
