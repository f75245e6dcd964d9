import { expect, test } from "@playwright/test";
import { newShopper, signIn, signUp } from "../support/accounts";

test("a new shopper signs up, signs in again, sees the Classic Unicorn and tops up $200", async ({ page }) => {
  const shopper = newShopper("journey");
  await signUp(page, shopper);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
  await page.getByRole("link", { name: "Sign in" }).click();
  await signIn(page, shopper);
  await expect(page.getByTestId("signed-in-as")).toHaveText(shopper.name);

  const classic = page.getByTestId("product-classic-unicorn");
  await expect(classic.getByRole("heading", { name: "Classic Unicorn" })).toBeVisible();
  await expect(classic).toContainText("$120.00");
  await expect(classic.locator("s")).toHaveText(/\$240\.00/);
  await expect(classic).toContainText("5 left");

  await page.getByRole("link", { name: "Wallet" }).click();
  await expect(page.getByTestId("wallet-balance")).toHaveText("$0.00");
  await page.getByLabel("Amount (USD)").fill("200");
  await page.getByRole("button", { name: "Top up" }).click();

  await expect(page.getByTestId("wallet-balance")).toHaveText("$200.00");
  const entries = page.getByTestId("wallet-entry");
  await expect(entries).toHaveCount(1);
  await expect(entries.first()).toContainText("+$200.00");
  await expect(entries.first()).toContainText("Balance $200.00");

  // The balance is PostgreSQL's, not the page's memory.
  await page.reload();
  await expect(page.getByTestId("wallet-balance")).toHaveText("$200.00");
});

test("a double-clicked top-up deposits once", async ({ page }) => {
  await signUp(page, newShopper("double"));
  await page.goto("/wallet");
  await page.getByLabel("Amount (USD)").fill("25.50");
  await page.getByRole("button", { name: "Top up" }).dblclick();

  await expect(page.getByTestId("wallet-balance")).toHaveText("$25.50");
  await page.reload();
  await expect(page.getByTestId("wallet-balance")).toHaveText("$25.50");
  await expect(page.getByTestId("wallet-entry")).toHaveCount(1);
});

test("an amount that is not money is explained next to the field, and nothing is deposited", async ({ page }) => {
  await signUp(page, newShopper("badamount"));
  await page.goto("/wallet");
  const amount = page.getByLabel("Amount (USD)");

  await amount.fill("12.345");
  await page.getByRole("button", { name: "Top up" }).click();
  await expect(page.getByText("Enter an amount in dollars and cents, like 25 or 25.50.")).toBeVisible();
  await expect(amount).toHaveAttribute("aria-invalid", "true");

  // Passes the browser's check, refused by the server's limit: the server's message appears at the same place.
  await amount.fill("20000");
  await page.getByRole("button", { name: "Top up" }).click();
  await expect(page.getByText("Top up at most $10,000.00 at a time.")).toBeVisible();

  await page.reload();
  await expect(page.getByTestId("wallet-balance")).toHaveText("$0.00");
  await expect(page.getByTestId("wallet-entry")).toHaveCount(0);
});

test("sign-up problems are shown next to the fields they concern", async ({ page }) => {
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill("Short Password");
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();

  await expect(page.locator("#field-email-error")).toHaveText("Enter a valid email address, like ada@example.com.");
  await expect(page.locator("#field-password-error")).toHaveText("Passwords need at least 8 characters.");
  await expect(page).toHaveURL(/\/sign-up/);
});
