import type { Page } from "@playwright/test";
import { newShopper, signUp } from "../support/accounts";
import { availableOf, injectCheckoutFault } from "../support/database";
import { expect, test } from "../support/fixtures";
import { topUp } from "../support/shop";

/**
 * The catalog and product pages are prerendered for everyone; what is left of each unicorn is pushed to them as the
 * database changes. A page left open follows every reservation, release and sale within a second, with no reload.
 */
const WITHIN_A_SECOND = { timeout: 1_000 };

async function pressBuyNow(page: Page) {
  await page.goto("/products/classic-unicorn");
  await page.getByRole("button", { name: "Buy now" }).click();
  // On the checkout page: the start has committed, and the unicorn is set aside.
  await expect(page).toHaveURL(/\/checkout\//);
}

test("an open product page follows a reservation, a release and a sale within a second, without a reload", async ({
  browser,
  page,
  stock,
}) => {
  const contexts = await Promise.all([browser.newContext(), browser.newContext()]);
  try {
    const [short, funded] = await Promise.all(contexts.map((context) => context.newPage())) as [Page, Page];
    await signUp(short, newShopper("short"));
    await signUp(funded, newShopper("funded"));
    await topUp(funded, 200);

    await stock.set("classic-unicorn", 2);
    await page.goto("/products/classic-unicorn");
    await expect(page.getByText("2 left", { exact: true })).toBeVisible();
    await page.evaluate(() => ((window as unknown as { stayedOpen: boolean }).stayedOpen = true));

    // A shopper with an empty wallet presses Buy now: the unicorn is reserved for them (and held a moment before the
    // payment is tried, so that the page can be seen to follow)…
    const removeDelay = await injectCheckoutFault({ step: "debit-wallet", kind: "delay_before", times: 1, delayMs: 3_000 });
    await pressBuyNow(short);
    await expect(page.getByText("1 left", { exact: true })).toBeVisible(WITHIN_A_SECOND);
    // …then the payment fails and the compensation releases it.
    await expect(short.getByTestId("checkout-message")).toContainText("short", { timeout: 15_000 });
    await expect(page.getByText("2 left", { exact: true })).toBeVisible(WITHIN_A_SECOND);
    await removeDelay();

    // A funded shopper buys one: reserved, then sold. The page says 1 left throughout, as the database does.
    await pressBuyNow(funded);
    await expect(page.getByText("1 left", { exact: true })).toBeVisible(WITHIN_A_SECOND);
    await expect(funded.getByRole("heading", { name: "Order confirmed" })).toBeVisible({ timeout: 15_000 });
    expect(await availableOf("classic-unicorn")).toBe(1);
    await expect(page.getByText("1 left", { exact: true })).toBeVisible(WITHIN_A_SECOND);

    // The catalog page, served prerendered, shows the same live count.
    await funded.goto("/");
    await expect(funded.getByTestId("product-classic-unicorn")).toContainText("1 left", WITHIN_A_SECOND);
    expect(await page.evaluate(() => (window as unknown as { stayedOpen?: boolean }).stayedOpen)).toBe(true);
  } finally {
    await Promise.all(contexts.map((context) => context.close()));
  }
});

test("when the live stream is unavailable, the page asks for the stock instead", async ({ page, stock }) => {
  await page.route("**/api/trpc/catalog.onStock**", (route) => route.abort());
  await stock.set("classic-unicorn", 3);
  await page.goto("/products/classic-unicorn");
  await expect(page.getByText("3 left", { exact: true })).toBeVisible();
  await stock.set("classic-unicorn", 2);
  // Asked once a second while the stream is down.
  await expect(page.getByText("2 left", { exact: true })).toBeVisible({ timeout: 2_000 });
});
