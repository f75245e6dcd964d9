import type { Browser, Page } from "@playwright/test";
import { newShopper, signUp } from "./accounts";
import { availableOf, injectCheckoutFault } from "./database";
import { expect, type Stock } from "./fixtures";
import { topUp } from "./shop";

/**
 * The catalog and product pages are prerendered for everyone (and may come from the front door's page cache); what
 * is left of each unicorn is pushed to them as the database changes. This journey holds a product page open at `base`
 * (the shop's own address by default) and has it follow a reservation, a release and a sale within a second each,
 * without a reload. The shoppers sign up at the shop's address: the session cookie is for the host, whatever the port.
 */
const WITHIN_A_SECOND = { timeout: 1_000 };

async function pressBuyNow(page: Page, base: string) {
  await page.goto(`${base}/products/classic-unicorn`);
  await page.getByRole("button", { name: "Buy now" }).click();
  // On the checkout page: the start has committed, and the unicorn is set aside.
  await expect(page).toHaveURL(/\/checkout\//);
}

export async function followReservationReleaseAndSale(options: { browser: Browser; page: Page; stock: Stock; base?: string }) {
  const { browser, page, stock, base = "" } = options;
  const contexts = await Promise.all([browser.newContext(), browser.newContext()]);
  try {
    const [short, funded] = (await Promise.all(contexts.map((context) => context.newPage()))) as [Page, Page];
    await signUp(short, newShopper("short"));
    await signUp(funded, newShopper("funded"));
    await topUp(funded, 200);

    await stock.set("classic-unicorn", 2);
    await page.goto(`${base}/products/classic-unicorn`);
    await expect(page.getByText("2 left", { exact: true })).toBeVisible();
    await page.evaluate(() => ((window as unknown as { stayedOpen: boolean }).stayedOpen = true));

    // A shopper with an empty wallet presses Buy now: the unicorn is reserved for them (and held a moment before the
    // payment is tried, so that the page can be seen to follow)…
    const removeDelay = await injectCheckoutFault({ step: "debit-wallet", kind: "delay_before", times: 1, delayMs: 3_000 });
    await pressBuyNow(short, base);
    await expect(page.getByText("1 left", { exact: true })).toBeVisible(WITHIN_A_SECOND);
    // …then the payment fails and the compensation releases it.
    await expect(short.getByTestId("checkout-message")).toContainText("short", { timeout: 15_000 });
    await expect(page.getByText("2 left", { exact: true })).toBeVisible(WITHIN_A_SECOND);
    await removeDelay();

    // A funded shopper buys one: reserved, then sold. The page says 1 left throughout, as the database does.
    await pressBuyNow(funded, base);
    await expect(page.getByText("1 left", { exact: true })).toBeVisible(WITHIN_A_SECOND);
    await expect(funded.getByRole("heading", { name: "Order confirmed" })).toBeVisible({ timeout: 15_000 });
    expect(await availableOf("classic-unicorn")).toBe(1);
    await expect(page.getByText("1 left", { exact: true })).toBeVisible(WITHIN_A_SECOND);

    // The catalog page, served prerendered, shows the same live count.
    await funded.goto(`${base}/`);
    await expect(funded.getByTestId("product-classic-unicorn")).toContainText("1 left", WITHIN_A_SECOND);
    expect(await page.evaluate(() => (window as unknown as { stayedOpen?: boolean }).stayedOpen)).toBe(true);
  } finally {
    await Promise.all(contexts.map((context) => context.close()));
  }
}
