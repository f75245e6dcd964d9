import { newShopper, signIn, signUp } from "../support/accounts";
import { expect, test } from "../support/fixtures";
import { screenshot } from "../support/screenshots";
import { buy, expectOrderConfirmed, topUp } from "../support/shop";

test("a new shopper's orders page says there are none yet, and it is linked from the header", async ({ page }) => {
  await signUp(page, newShopper("no-orders"));
  await page.getByRole("link", { name: "Orders", exact: true }).click();
  await expect(page).toHaveURL(/\/orders$/);
  await expect(page.getByRole("heading", { name: "Your orders" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "No orders yet" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Browse the unicorns" })).toBeVisible();
});

test("orders are listed newest first", async ({ page, stock }, testInfo) => {
  await stock.set("pocket-unicorn", 10);
  await stock.set("rainbow-unicorn", 10);
  await signUp(page, newShopper("two-orders"));
  await topUp(page, 300);
  await buy(page, "pocket-unicorn");
  await expectOrderConfirmed(page);
  await buy(page, "rainbow-unicorn");
  await expectOrderConfirmed(page);

  await page.goto("/orders");
  const orders = page.getByTestId("order");
  await expect(orders).toHaveCount(2);
  await expect(orders.nth(0)).toContainText("1 × Rainbow Unicorn");
  await expect(orders.nth(0)).toContainText("$240.00");
  await expect(orders.nth(1)).toContainText("1 × Pocket Unicorn");
  await expect(orders.nth(1)).toContainText("$19.99");
  await screenshot(page, testInfo, "orders-list");
});

test("someone else's checkout or order is a 404; a signed-out visitor signs in and comes back", async ({
  browser,
  stock,
}) => {
  await stock.set("pocket-unicorn", 10);
  const [ownerContext, otherContext, signedOutContext] = await Promise.all([
    browser.newContext(),
    browser.newContext(),
    browser.newContext(),
  ]);
  try {
    const owner = await ownerContext.newPage();
    const shopper = newShopper("owner");
    await signUp(owner, shopper);
    await topUp(owner, 50);
    const checkoutUrl = await buy(owner, "pocket-unicorn");
    await expectOrderConfirmed(owner);
    await owner.getByRole("link", { name: "View your order" }).click();
    await expect(owner).toHaveURL(/\/orders\/[0-9a-f-]{36}$/);
    const orderUrl = owner.url();

    const other = await otherContext.newPage();
    await signUp(other, newShopper("nosy"));
    for (const url of [checkoutUrl, orderUrl, "/checkout/not-a-checkout", "/orders/12345"]) {
      const response = await other.goto(url);
      expect(response?.status(), url).toBe(404);
      await expect(other.getByRole("heading", { name: "We couldn't find that page" })).toBeVisible();
      await expect(other.getByText("Pocket Unicorn")).toHaveCount(0);
    }

    const visitor = await signedOutContext.newPage();
    await visitor.goto(checkoutUrl);
    const checkoutPath = new URL(checkoutUrl).pathname;
    await expect(visitor).toHaveURL(new RegExp(`/sign-in\\?next=${encodeURIComponent(checkoutPath)}$`));
    await signIn(visitor, shopper);
    await expect(visitor).toHaveURL(checkoutUrl);
    await expectOrderConfirmed(visitor);

    await visitor.getByRole("button", { name: "Sign out" }).click();
    await expect(visitor.getByRole("link", { name: "Sign in" })).toBeVisible();
    await visitor.goto("/orders");
    await expect(visitor).toHaveURL(/\/sign-in\?next=%2Forders$/);
  } finally {
    await Promise.all([ownerContext, otherContext, signedOutContext].map((context) => context.close()));
  }
});
