import { expect, type Browser, type Page } from "@playwright/test";
import { newShopper, signUp } from "./accounts";
import { buy, signInAs, topUp } from "./shop";

/** The seeded shop operator (prisma/seed/demo-data.ts). */
export const ADMIN = { email: "admin@unicorn.test", password: "cybermonday", name: "Uma Operator" };

/** The seeded support person: may look at the monitor, not act. */
export const SUPPORT = { email: "support@unicorn.test", password: "cybermonday", name: "Sam Support" };

/** A signed-in admin in a browser context of their own, beside the shopper's: two people, two sets of cookies. */
export async function openAdminPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInAs(page, ADMIN);
  return page;
}

/** The saga id of a checkout page's address (a checkout and its saga share the id). */
export function sagaIdOf(checkoutUrl: string): string {
  const id = /\/checkout\/([0-9a-f-]{36})$/.exec(checkoutUrl)?.[1];
  if (!id) throw new Error(`Not a checkout page: ${checkoutUrl}`);
  return id;
}

/** Searches the saga list the way an operator would, by the customer's email, and opens their one saga. */
export async function openSagaOf(page: Page, email: string): Promise<void> {
  await page.goto("/admin/sagas");
  await page.getByRole("searchbox", { name: "Search" }).fill(email);
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/[?&]search=/);
  const rows = page.getByTestId("saga-table").getByTestId("saga-row");
  await expect(rows).toHaveCount(1);
  await rows.getByRole("link", { name: /^Saga / }).click();
  await expect(page).toHaveURL(/\/admin\/sagas\/[0-9a-f-]{36}$/);
}

/** The timeline's runs in order, as "step phase status" lines. */
export async function timelineOf(page: Page): Promise<string[]> {
  return page
    .getByTestId("timeline-step")
    .evaluateAll((items) => items.map((item) => `${item.getAttribute("data-step")} ${item.getAttribute("data-phase")} ${item.getAttribute("data-status")}`));
}

/** A new shopper, signed up in `page`, with `dollars` in their wallet: enough to pay, so a later failure is refunded. */
export async function shopperWhoCanPay(page: Page, label: string, dollars = 50) {
  const shopper = newShopper(label);
  await signUp(page, shopper);
  await topUp(page, dollars);
  return shopper;
}

/**
 * A new shopper with an empty wallet tries to buy, in a browser of their own: paying fails, the reservation is undone,
 * and the monitor has a compensated saga to show. Resolves with the shopper and the saga's id once the checkout page
 * says so.
 */
export async function failedCheckoutInItsOwnBrowser(browser: Browser, label: string, slug = "pocket-unicorn") {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const shopper = newShopper(label);
    await signUp(page, shopper);
    const sagaId = sagaIdOf(await buy(page, slug));
    await expect(page.getByTestId("checkout-message")).toContainText("short", { timeout: 15_000 });
    return { ...shopper, sagaId };
  } finally {
    await context.close();
  }
}
