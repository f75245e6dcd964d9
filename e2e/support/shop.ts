import { expect, type Page } from "@playwright/test";
import { signIn } from "./accounts";

/** The demo shopper who is short: $90.00 against the Classic Unicorn's $120.00 (prisma/seed/demo-data.ts). */
export const PAT = { email: "pat@unicorn.test", password: "cybermonday", name: "Pat Penny" };

const CHECKOUT_URL = /\/checkout\/[0-9a-f-]{36}$/;

export async function signInAs(page: Page, account: { email: string; password: string; name: string }) {
  await page.goto("/sign-in");
  await signIn(page, account);
  await expect(page.getByTestId("signed-in-as")).toHaveText(account.name);
}

/** "$1,000.00" → 100000. */
export function centsOf(text: string): number {
  const match = /^(-)?\$([\d,]+)\.(\d\d)$/.exec(text.trim());
  if (!match) throw new Error(`Not an amount of money: ${text}`);
  const cents = Number(match[2]!.replaceAll(",", "")) * 100 + Number(match[3]);
  return match[1] ? -cents : cents;
}

export async function walletBalanceCents(page: Page): Promise<number> {
  await page.goto("/wallet");
  return centsOf(await page.getByTestId("wallet-balance").innerText());
}

/** Tops up through the wallet page, as a shopper would. */
export async function topUp(page: Page, dollars: number) {
  await page.goto("/wallet");
  const before = await page.getByTestId("wallet-balance").innerText();
  await page.getByLabel("Amount (USD)").fill(String(dollars));
  await page.getByRole("button", { name: "Top up" }).click();
  await expect(page.getByTestId("wallet-balance")).not.toHaveText(before);
}

/** The "N left" / "Sold out" badge of a product on the catalog page. */
export async function expectCatalogStock(page: Page, slug: string, text: string) {
  await page.goto("/");
  await expect(page.getByTestId(`product-${slug}`)).toContainText(text);
}

/** Opens a product, chooses the quantity and presses Buy now; resolves once on the checkout page. */
export async function buy(page: Page, slug: string, quantity = 1): Promise<string> {
  await page.goto(`/products/${slug}`);
  if (quantity !== 1) await page.getByLabel("Quantity").selectOption(String(quantity));
  await page.getByRole("button", { name: "Buy now" }).click();
  await expect(page).toHaveURL(CHECKOUT_URL);
  return page.url();
}

export async function expectOrderConfirmed(page: Page) {
  await expect(page.getByRole("heading", { name: "Order confirmed" })).toBeVisible({ timeout: 15_000 });
}
