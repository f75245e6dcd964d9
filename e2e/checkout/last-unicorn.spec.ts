import type { Page } from "@playwright/test";
import { newShopper, signUp } from "../support/accounts";
import { expect, test } from "../support/fixtures";
import { expectCatalogStock, walletBalanceCents, topUp } from "../support/shop";

/**
 * Presses "Buy now", as both shoppers do at the same moment — unless the other shopper's press landed first and the
 * live stock has already turned this page's button into a disabled "Sold out".
 */
async function pressBuy(page: Page): Promise<void> {
  const form = page.getByRole("form", { name: "Buy" });
  const pressed = form
    .getByRole("button", { name: "Buy now" })
    .click()
    .then(
      () => null,
      (error: unknown) => error,
    );
  const shownSoldOut = form
    .getByRole("button", { name: "Sold out" })
    .waitFor({ timeout: 15_000 })
    .then(
      () => null,
      () => pressed,
    );
  const failure = await Promise.race([pressed, shownSoldOut]);
  if (failure) throw failure;
}

const confirmedOn = (page: Page) => page.getByRole("heading", { name: "Order confirmed" });

/**
 * Every way a page tells a shopper the unicorn sold out: the start's refusal, the live stock's disabled "Sold out"
 * (a press that lands just as it arrives starts nothing), or the saga's own refusal while reserving.
 */
function toldSoldOutOn(page: Page) {
  const form = page.getByRole("form", { name: "Buy" });
  return form
    .getByRole("alert")
    .filter({ hasText: "sold out" })
    .or(form.getByRole("button", { name: "Sold out" }))
    .or(page.getByTestId("checkout-message").filter({ hasText: "Sorry, the Classic Unicorn sold out before we could reserve yours." }))
    .first();
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
    await Promise.all(pages.map(pressBuy));

    // Exactly one sees the order confirmed (a page showing "Sold out" may still be the winner's, mid-start, so the
    // confirmation decides), and the other is told it sold out.
    const confirmedPages = async () => (await Promise.all(pages.map((page) => confirmedOn(page).isVisible()))).filter(Boolean).length;
    await expect.poll(confirmedPages, { timeout: 15_000 }).toBe(1);
    const winner = (await confirmedOn(pages[0]!).isVisible()) ? 0 : 1;
    const loser = 1 - winner;
    await expect(toldSoldOutOn(pages[loser]!)).toBeVisible();
    await expect(confirmedOn(pages[loser]!)).toHaveCount(0);

    // The winner paid, the other paid nothing, and none are left.
    const balances = await Promise.all(pages.map((page) => walletBalanceCents(page)));
    expect(balances[winner]).toBe(20_000 - 12_000);
    expect(balances[loser]).toBe(20_000);
    await expectCatalogStock(pages[0]!, "classic-unicorn", "Sold out");
  } finally {
    await Promise.all(contexts.map((context) => context.close()));
  }
});
