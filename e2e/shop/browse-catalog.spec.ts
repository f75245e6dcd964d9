import { expect, test } from "@playwright/test";
import { expectNoSidewaysScroll } from "../support/layout";

test("the product page shows prices and stock from the database", async ({ page }) => {
  await page.goto("/");
  await page.getByTestId("product-classic-unicorn").click();
  await expect(page).toHaveURL(/\/products\/classic-unicorn$/);
  await expect(page.getByRole("heading", { name: "Classic Unicorn" })).toBeVisible();
  await expect(page.locator("s")).toHaveText(/\$240\.00/);
  await expect(page.getByText("$120.00", { exact: false }).first()).toBeVisible();
  await expect(page.getByText("−50%")).toBeVisible();
  await expect(page.getByText("5 left")).toBeVisible();
});

test("a product with no stock says Sold out", async ({ page }) => {
  await page.goto("/products/golden-unicorn");
  await expect(page.getByText("Sold out")).toBeVisible();
  await page.goto("/");
  await expect(page.getByTestId("product-golden-unicorn")).toContainText("Sold out");
});

test("an unknown product is a friendly 404", async ({ page }) => {
  const response = await page.goto("/products/no-such-unicorn");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "We couldn't find that page" })).toBeVisible();
});

test("the catalog fits a phone screen @phone", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByTestId("product-classic-unicorn")).toBeVisible();
  await expectNoSidewaysScroll(page);
  await expect(page.getByRole("link", { name: "Wallet" })).toBeVisible();
});
