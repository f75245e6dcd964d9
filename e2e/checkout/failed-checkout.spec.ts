import { newShopper, signUp } from "../support/accounts";
import { injectCheckoutFault } from "../support/database";
import { expect, test } from "../support/fixtures";
import { expectNoSidewaysScroll } from "../support/layout";
import { screenshot } from "../support/screenshots";
import { buy, expectCatalogStock, PAT, signInAs, topUp, walletBalanceCents } from "../support/shop";

test("Pat is $30 short: told so in plain words, nothing is charged and the unicorn goes back on sale", async ({
  page,
  stock,
}, testInfo) => {
  await stock.set("classic-unicorn", 5);
  await signInAs(page, PAT);
  const balanceBefore = await walletBalanceCents(page);

  await buy(page, "classic-unicorn");

  await expect(page.getByRole("heading", { name: "Your order didn't go through" })).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId("checkout-message")).toHaveText(
    "Your wallet was $30.00 short. We released your unicorn and nothing was charged.",
  );
  await expect(page.getByTestId("step-reserve-stock")).toContainText("Released");
  await expect(page.getByTestId("step-debit-wallet")).toContainText("Failed");
  await expect(page.getByTestId("step-complete-order")).toContainText("Not started");
  await expect(page.getByRole("progressbar")).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Top up your wallet" })).toBeVisible();
  await screenshot(page, testInfo, "checkout-failed");

  expect(await walletBalanceCents(page)).toBe(balanceBefore);
  await expect(page.getByTestId("wallet-entry").filter({ hasText: "Purchase" })).toHaveCount(0);
  await expectCatalogStock(page, "classic-unicorn", "5 left");
  // The orders list has it too, as one that didn't go through.
  await page.goto("/orders");
  await expect(page.getByTestId("order").first()).toContainText("1 × Classic Unicorn");
  await expect(page.getByTestId("order").first().getByTestId("order-status")).toHaveText("Didn't go through");
});

test("a failure after paying: the money is refunded and the unicorn released, and the page says so", async ({
  page,
  stock,
}, testInfo) => {
  await stock.set("pocket-unicorn", 10);
  await signUp(page, newShopper("refund"));
  await topUp(page, 50);
  // Confirming the order fails for good, once: the payment must be undone.
  const removeFault = await injectCheckoutFault({ step: "complete-order", kind: "fail_permanently", times: 1 });
  try {
    await buy(page, "pocket-unicorn");
    await expect(page.getByRole("heading", { name: "Your order didn't go through" })).toBeVisible({ timeout: 15_000 });
    await expect(page.getByTestId("checkout-message")).toHaveText(
      "We couldn't confirm your order. We refunded $19.99 to your wallet and released your unicorn.",
    );
    await expect(page.getByTestId("step-reserve-stock")).toContainText("Released");
    await expect(page.getByTestId("step-debit-wallet")).toContainText("Refunded");
    await expect(page.getByTestId("step-complete-order")).toContainText("Failed");
    await screenshot(page, testInfo, "checkout-refunded");
  } finally {
    await removeFault();
  }

  expect(await walletBalanceCents(page)).toBe(5_000);
  await expect(page.getByTestId("wallet-entry").filter({ hasText: "Refund" })).toContainText("+$19.99");
  await expectCatalogStock(page, "pocket-unicorn", "10 left");
});

test("the checkout page fits a phone @phone", async ({ page, stock }, testInfo) => {
  await stock.set("pocket-unicorn", 10);
  await signUp(page, newShopper("phone"));
  await buy(page, "pocket-unicorn");
  await expect(page.getByTestId("checkout-message")).toHaveText(
    "Your wallet was $19.99 short. We released your unicorn and nothing was charged.",
    { timeout: 15_000 },
  );
  await expectNoSidewaysScroll(page);
  await expect(page.getByRole("link", { name: "Top up your wallet" })).toBeVisible();
  await screenshot(page, testInfo, `checkout-failed-${testInfo.project.name}`);
});
