import { expect, type Page } from "@playwright/test";
import { newShopper, signUp } from "./accounts";
import { expectNoSidewaysScroll } from "./layout";
import { buy, expectOrderConfirmed, topUp } from "./shop";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The dates (as the dashboard writes them, "Nov 26, 2027", in UTC) that fall `days` after some moment between `from`
 * and `to`: a lot's expiry is counted from when the shop recorded it, which the test only knows to lie in between.
 */
export function datesAfter(days: number, from: Date, to: Date): RegExp {
  const texts = new Set<string>();
  for (let t = from.getTime(); t <= to.getTime() + DAY_MS; t += DAY_MS / 2) {
    const moment = Math.min(t, to.getTime());
    texts.add(new Date(moment + days * DAY_MS).toLocaleDateString("en-US", { dateStyle: "medium", timeZone: "UTC" }));
  }
  return new RegExp(`^(${[...texts].join("|")})$`);
}

/** Opens the points dashboard from the header, as a customer would. */
export async function openPointsDashboard(page: Page) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Points" }).click();
  await expect(page).toHaveURL(/\/points$/);
  await expect(page.getByRole("heading", { name: "Your points", level: 1 })).toBeVisible();
}

/**
 * A new shopper, signed up in `page`, who has earned 100 points and has $0.00 left: they top up $120.00 and buy a
 * Classic Unicorn (the seeded threshold rule: 100 points from $100; the caller switches off multipliers), and the
 * points reach their dashboard. Needs a Classic Unicorn in stock.
 */
export async function shopperWithPoints(page: Page, label: string) {
  const shopper = newShopper(label);
  await signUp(page, shopper);
  await topUp(page, 120);
  await buy(page, "classic-unicorn");
  await expectOrderConfirmed(page);
  await openPointsDashboard(page);
  await expect(page.getByTestId("points-available")).toHaveText("100 points", { timeout: 15_000 });
  return shopper;
}

/** On a product page: uses `points` on the order and waits for what they take off. */
export async function choosePoints(page: Page, points: number) {
  await page.getByLabel("Points to use").fill(String(points));
  await expect(page.getByTestId("buy-discount")).toHaveText(/^−\$/);
}

/**
 * On a checkout page that used points: the order confirms, saying what the points took off and what the wallet paid,
 * and so does the order it leads to, under the same number.
 */
export async function expectPaidWithPoints(page: Page, paid: { product: string; points: number; discount: string; wallet: string }) {
  await expectOrderConfirmed(page);
  await expect(page.getByTestId("checkout-message")).toHaveText(
    `The ${paid.product} is yours. Your ${paid.points} points took ${paid.discount} off, and we took ${paid.wallet} from your wallet.`,
  );
  await expect(page.getByTestId("step-redeem-points")).toContainText("Done");
  await expect(page.getByTestId("checkout-discount")).toHaveText(`−${paid.discount}`);
  await expect(page.getByTestId("checkout-total")).toHaveText(paid.wallet);
  const orderNumber = await page.getByTestId("checkout-order-number").innerText();
  // Four steps fit a phone too.
  await expectNoSidewaysScroll(page);

  await page.getByRole("link", { name: "View your order" }).click();
  await expect(page.getByRole("heading", { name: `Order ${orderNumber}` })).toBeVisible();
  await expect(page.getByTestId("order-points")).toHaveText(`${paid.points} points`);
  await expect(page.getByTestId("order-discount")).toHaveText(`−${paid.discount}`);
  await expect(page.getByTestId("order-total")).toHaveText(paid.wallet);
}
