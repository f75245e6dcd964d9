import { newShopper, signUp } from "../support/accounts";
import { seriousViolations } from "../support/axe";
import { expect, test } from "../support/fixtures";
import { screenshot } from "../support/screenshots";
import { buy, expectOrderConfirmed, topUp } from "../support/shop";

test("the orders list shows every checkout with its status, a failed one too, and one number per purchase everywhere", async ({
  page,
  stock,
}, testInfo) => {
  await stock.set("pocket-unicorn", 10);
  await signUp(page, newShopper("orders-list"));

  // With an empty wallet, paying fails: the checkout didn't go through.
  const failedUrl = await buy(page, "pocket-unicorn");
  await expect(page.getByRole("heading", { name: "Your order didn't go through" })).toBeVisible({ timeout: 15_000 });
  const failedNumber = await page.getByTestId("checkout-order-number").innerText();
  expect(failedNumber).toMatch(/^#[0-9A-F]{8}$/);

  await topUp(page, 50);
  await buy(page, "pocket-unicorn");
  await expectOrderConfirmed(page);
  const confirmedNumber = await page.getByTestId("checkout-order-number").innerText();
  await page.getByRole("link", { name: "View your order" }).click();
  await expect(page.getByRole("heading", { name: `Order ${confirmedNumber}` })).toBeVisible();

  await page.getByRole("link", { name: "Orders", exact: true }).click();
  const orders = page.getByTestId("order");
  await expect(orders).toHaveCount(2);
  await expect(orders.nth(0)).toContainText(`Order ${confirmedNumber}`);
  await expect(orders.nth(0).getByTestId("order-status")).toHaveText("Confirmed");
  await expect(orders.nth(1)).toContainText(`Order ${failedNumber}`);
  await expect(orders.nth(1)).toContainText("1 × Pocket Unicorn");
  await expect(orders.nth(1).getByTestId("order-status")).toHaveText("Didn't go through");
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, testInfo, "orders-list-with-failed");

  // The failed one leads to its checkout, which says why.
  await orders.nth(1).getByRole("link").click();
  await expect(page).toHaveURL(failedUrl);
  await expect(page.getByTestId("checkout-message")).toHaveText(
    "Your wallet was $19.99 short. We released your unicorn and nothing was charged.",
  );

  // The wallet's payment names the same purchase and leads to its order.
  await page.goto("/wallet");
  const payment = page.getByTestId("wallet-entry").filter({ hasText: "Purchase" });
  await expect(payment).toHaveCount(1);
  await payment.getByRole("link", { name: `Order ${confirmedNumber}` }).click();
  await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { name: `Order ${confirmedNumber}` })).toBeVisible();
});
