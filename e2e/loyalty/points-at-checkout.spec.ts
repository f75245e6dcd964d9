import { injectCheckoutFault } from "../support/database";
import { expect, test } from "../support/fixtures";
import { choosePoints, expectPaidWithPoints, openPointsDashboard, shopperWithPoints } from "../support/points";
import { screenshot } from "../support/screenshots";
import { topUp } from "../support/shop";

// Each shopper first earns 100 points with a Classic Unicorn ($120.00; 100 points are worth $5.00 under the seeded
// redemption rule), then spends them on a Pocket Unicorn ($19.99): two purchases through real workers.
test.beforeEach(async ({ stock, campaignRules }) => {
  test.slow();
  await stock.set("classic-unicorn", 1);
  await stock.set("pocket-unicorn", 10);
  await campaignRules.withoutMultipliers();
});

test("a shopper who uses points sees the discount on the product page, the checkout, the order and the points page", async ({
  page,
}) => {
  await shopperWithPoints(page, "uses-points");
  await topUp(page, 20);

  await page.goto("/products/pocket-unicorn");
  await choosePoints(page, 100);
  await expect(page.getByTestId("buy-discount")).toHaveText("−$5.00");
  await expect(page.getByTestId("buy-total")).toHaveText("$14.99");
  await page.getByRole("button", { name: "Buy now" }).click();

  await expectPaidWithPoints(page, { product: "Pocket Unicorn", points: 100, discount: "$5.00", wallet: "$14.99" });

  await openPointsDashboard(page);
  await expect(page.getByTestId("points-available")).toHaveText("0 points", { timeout: 15_000 });
  const used = page.getByTestId("points-history-entry").first();
  await expect(used).toContainText("100 points");
  await expect(used).toContainText("−100");
});

test("a checkout that fails after using points gives them back, and says so on the checkout and the points page", async ({
  page,
}, testInfo) => {
  await shopperWithPoints(page, "points-back");
  await topUp(page, 20);
  // Confirming the order fails for good, once: the payment is refunded and the points given back.
  const removeFault = await injectCheckoutFault({ step: "complete-order", kind: "fail_permanently", times: 1 });
  try {
    await page.goto("/products/pocket-unicorn");
    await choosePoints(page, 100);
    await page.getByRole("button", { name: "Buy now" }).click();
    await expect(page.getByRole("heading", { name: "Your order didn't go through" })).toBeVisible({ timeout: 15_000 });
  } finally {
    await removeFault();
  }
  await expect(page.getByTestId("checkout-message")).toHaveText(
    // The $19.99 unicorn less the $5.00 its 100 points took off: checkout.status keeps what was refunded and given back.
    "We couldn't confirm your order. We refunded $14.99 to your wallet, gave back your 100 points and released your unicorn.",
  );
  await expect(page.getByTestId("step-redeem-points")).toContainText("Points given back");
  await screenshot(page, testInfo, "checkout-failed-points-given-back");

  await page.getByRole("link", { name: "See your points" }).click();
  await expect(page).toHaveURL(/\/points$/);
  await expect(page.getByTestId("points-available")).toHaveText("100 points", { timeout: 15_000 });
  const history = page.getByTestId("points-history-entry");
  await expect(history.nth(0)).toContainText("+100");
  await expect(history.nth(1)).toContainText("−100");
  await expect(page.getByTestId("points-chart-summary")).toContainText("given back 100");
});
