import { expect, type Page } from "@playwright/test";

/** Demo accounts seeded by `db:reset` (see prisma/seed/demo-data.ts). */
export const ADA = { email: "ada@unicorn.test", password: "cybermonday", name: "Ada Lovelace" };

/** A new shopper per test, so tests never share a wallet. */
export function newShopper(label: string) {
  const unique = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;
  return { name: `Shopper ${label}`, email: `${label}-${unique}@example.com`, password: "rainbow-hooves" };
}

export async function signUp(page: Page, shopper: ReturnType<typeof newShopper>) {
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill(shopper.name);
  await page.getByLabel("Email").fill(shopper.email);
  await page.getByLabel("Password").fill(shopper.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByTestId("signed-in-as")).toHaveText(shopper.name);
}

export async function signIn(page: Page, account: { email: string; password: string }) {
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}
