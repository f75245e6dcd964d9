import { newShopper, signUp } from "../support/accounts";
import { seriousViolations } from "../support/axe";
import { expect, test } from "../support/fixtures";
import { expectNoSidewaysScroll } from "../support/layout";
import { screenshot } from "../support/screenshots";
import { expectOrderConfirmed, topUp } from "../support/shop";

test("the product page says how short the wallet is; Top up fills that in, comes back with the choice kept, and the unicorns can be bought @phone", async ({
  page,
  stock,
}, testInfo) => {
  await stock.set("pocket-unicorn", 10);
  await signUp(page, newShopper("short"));
  await topUp(page, 10);

  await page.goto("/products/pocket-unicorn");
  await page.getByLabel("Quantity").selectOption("2");
  await expect(page.getByTestId("buy-total")).toHaveText("$39.98");
  await expect(page.getByTestId("buy-wallet-balance")).toHaveText("$10.00");
  await expect(page.getByTestId("buy-shortfall")).toHaveText("You're $29.98 short.");
  // A shopper with no points is offered none.
  await expect(page.getByLabel("Points to use")).toHaveCount(0);
  await expectNoSidewaysScroll(page);
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, testInfo, `product-short-${testInfo.project.name}`);

  await page.getByRole("link", { name: "Top up $29.98" }).click();
  await expect(page).toHaveURL(/\/wallet\?amount=29\.98&next=%2Fproducts%2Fpocket-unicorn%3Fquantity%3D2$/);
  await expect(page.getByLabel("Amount (USD)")).toHaveValue("29.98");
  await expect(page.getByTestId("top-up-return")).toContainText("we'll take you back");
  await page.getByRole("button", { name: "Top up" }).click();

  // Back on the unicorn, two of them still chosen, and the wallet now pays.
  await expect(page).toHaveURL(/\/products\/pocket-unicorn\?quantity=2$/);
  await expect(page.getByLabel("Quantity")).toHaveValue("2");
  await expect(page.getByTestId("buy-wallet-balance")).toHaveText("$39.98");
  await expect(page.getByTestId("buy-shortfall")).toHaveCount(0);
  await page.getByRole("button", { name: "Buy now" }).click();
  await expectOrderConfirmed(page);
  await expect(page.getByTestId("checkout-message")).toHaveText("2 × Pocket Unicorn are yours. We took $39.98 from your wallet.");
});

test("a wallet page reached with a foreign return address stays on the shop", async ({ page }) => {
  await signUp(page, newShopper("foreign-next"));
  await page.goto(`/wallet?amount=5.00&next=${encodeURIComponent("//evil.example/steal")}`);
  await expect(page.getByLabel("Amount (USD)")).toHaveValue("5.00");
  await expect(page.getByTestId("top-up-return")).toHaveCount(0);
  await page.getByRole("button", { name: "Top up" }).click();
  await expect(page.getByText("Added $5.00 to your wallet.")).toBeVisible();
  await expect(page).toHaveURL(/\/wallet\?/);
});

test("a visitor who is not signed in sees the price but no wallet, and no shortfall", async ({ page, stock }) => {
  await stock.set("pocket-unicorn", 10);
  await page.goto("/products/pocket-unicorn");
  await expect(page.getByTestId("buy-total")).toHaveText("$19.99");
  await expect(page.getByText("You'll sign in first")).toBeVisible();
  await expect(page.getByTestId("buy-wallet-balance")).toHaveCount(0);
  await expect(page.getByTestId("buy-shortfall")).toHaveCount(0);
});
