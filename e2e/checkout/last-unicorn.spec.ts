import type { Page } from "@playwright/test";
import { newShopper, signUp } from "../support/accounts";
import { expect, test } from "../support/fixtures";
import { expectCatalogStock, walletBalanceCents, topUp } from "../support/shop";

/**
 * Presses "Buy now", as both shoppers do at the same moment — unless the other shopper's press landed first and the
 * live stock has already turned this page's button into a disabled "Sold out" (that shopper was told it sold out).
 */
async function pressBuy(page: Page): Promise<"pressed" | "shown sold out"> {
  const form = page.getByRole("form", { name: "Buy" });
  const pressed = form
    .getByRole("button", { name: "Buy now" })
    .click()
    .then(
      () => "pressed" as const,
      (error: unknown) => error,
    );
  const shownSoldOut = form
    .getByRole("button", { name: "Sold out" })
    .waitFor({ timeout: 15_000 })
    .then(
      () => "shown sold out" as const,
      () => pressed,
    );
  const first = await Promise.race([pressed, shownSoldOut]);
  if (first !== "pressed" && first !== "shown sold out") throw first;
  return first;
}

/** How a shopper's press ended: with the unicorn, or told it sold out (when starting, or while reserving). */
async function outcomeOf(page: Page): Promise<"confirmed" | "sold out"> {
  const confirmed = page.getByRole("heading", { name: "Order confirmed" });
  const soldOutAtStart = page.getByRole("form", { name: "Buy" }).getByRole("alert").filter({ hasText: "sold out" });
  const soldOutWhileReserving = page
    .getByTestId("checkout-message")
    .filter({ hasText: "Sorry, the Classic Unicorn sold out before we could reserve yours. Nothing was charged." });
  await expect(confirmed.or(soldOutAtStart).or(soldOutWhileReserving)).toBeVisible({ timeout: 15_000 });
  return (await confirmed.isVisible()) ? "confirmed" : "sold out";
}

test("two shoppers race for the last Classic Unicorn: exactly one gets it, the other is told it sold out", async ({
  browser,
  stock,
}) => {
  const contexts = await Promise.all([browser.newContext(), browser.newContext()]);
  try {
    const pages = await Promise.all(contexts.map((context) => context.newPage()));
    for (const [index, page] of pages.entries()) {
      await signUp(page, newShopper(`racer-${index}`));
      await topUp(page, 200);
    }

    await stock.set("classic-unicorn", 1);
    for (const page of pages) {
      await page.goto("/products/classic-unicorn");
      await expect(page.getByText("1 left", { exact: true })).toBeVisible();
    }
    const presses = await Promise.all(pages.map(pressBuy));

    const outcomes = await Promise.all(
      pages.map((page, index) => (presses[index] === "pressed" ? outcomeOf(page) : ("sold out" as const))),
    );
    expect([...outcomes].sort()).toEqual(["confirmed", "sold out"]);

    // The winner paid, the other paid nothing, and none are left.
    const balances = await Promise.all(pages.map((page) => walletBalanceCents(page)));
    expect(balances[outcomes.indexOf("confirmed")]).toBe(20_000 - 12_000);
    expect(balances[outcomes.indexOf("sold out")]).toBe(20_000);
    await expectCatalogStock(pages[0]!, "classic-unicorn", "Sold out");
  } finally {
    await Promise.all(contexts.map((context) => context.close()));
  }
});
