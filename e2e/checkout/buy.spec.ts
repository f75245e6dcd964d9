import { ADA, newShopper, signIn, signUp } from "../support/accounts";
import { injectCheckoutFault } from "../support/database";
import { expect, test } from "../support/fixtures";
import { expectNoSidewaysScroll } from "../support/layout";
import { screenshot } from "../support/screenshots";
import { expectCatalogStock, expectOrderConfirmed, PAT, signInAs, topUp, walletBalanceCents } from "../support/shop";

const CHECKOUT_URL = /\/checkout\/[0-9a-f-]{36}$/;

test("Ada buys the Classic Unicorn and watches her order confirm", async ({ page, stock }, testInfo) => {
  await stock.set("classic-unicorn", 5);
  // Payment waits a moment (once), so that the live progress is there to watch before the order confirms.
  const removeDelay = await injectCheckoutFault({ step: "debit-wallet", kind: "delay_before", times: 1, delayMs: 3_000 });
  try {
    await signInAs(page, ADA);
    const balanceBefore = await walletBalanceCents(page);

    await page.goto("/products/classic-unicorn");
    await expect(page.getByText("5 left", { exact: true })).toBeVisible();
    await expect(page.getByLabel("Quantity")).toHaveValue("1");
    await expect(page.getByTestId("buy-total")).toHaveText("$120.00");
    await page.getByRole("button", { name: "Buy now" }).click();
    await expect(page).toHaveURL(CHECKOUT_URL);

    // Live progress: reserved, now paying.
    await expect(page.getByRole("heading", { name: "Placing your order…" })).toBeVisible();
    await expect(page.getByRole("progressbar", { name: "Checkout progress" })).toBeVisible();
    await expect(page.getByTestId("step-reserve-stock")).toContainText("Done");
    await expect(page.getByTestId("step-debit-wallet")).toContainText("In progress");
    await expect(page.getByTestId("step-complete-order")).toContainText("Waiting");
    await expect(page.getByTestId("checkout-status")).toHaveAttribute("aria-live", "polite");
    await screenshot(page, testInfo, "checkout-in-progress");

    // …then confirmed, without reloading the page.
    await expectOrderConfirmed(page);
    await expect(page.getByTestId("checkout-message")).toHaveText("The Classic Unicorn is yours. We took $120.00 from your wallet.");
    await expect(page.getByRole("progressbar")).toHaveCount(0);
    for (const step of ["reserve-stock", "debit-wallet", "complete-order"]) {
      await expect(page.getByTestId(`step-${step}`)).toContainText("Done");
    }
    await screenshot(page, testInfo, "checkout-confirmed");
    // One number for the purchase, on the checkout, the order, the orders list and the wallet.
    const orderNumber = await page.getByTestId("checkout-order-number").innerText();
    expect(orderNumber).toMatch(/^#[0-9A-F]{8}$/);

    await page.getByRole("link", { name: "View your order" }).click();
    await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}$/);
    await expect(page.getByRole("heading", { name: `Order ${orderNumber}` })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Classic Unicorn" })).toBeVisible();
    await expect(page.getByTestId("order-total")).toHaveText("$120.00");
    await screenshot(page, testInfo, "order-detail");

    await page.getByRole("link", { name: "Orders", exact: true }).click();
    await expect(page.getByRole("heading", { name: "Your orders" })).toBeVisible();
    const newest = page.getByTestId("order").first();
    await expect(newest).toContainText("1 × Classic Unicorn");
    await expect(newest).toContainText("$120.00");
    await expect(newest).toContainText(`Order ${orderNumber}`);
    await expect(newest.getByTestId("order-status")).toHaveText("Confirmed");

    expect(await walletBalanceCents(page)).toBe(balanceBefore - 12_000);
    const purchase = page.getByTestId("wallet-entry").first();
    await expect(purchase).toContainText("Purchase");
    await expect(purchase).toContainText("1 × Classic Unicorn");
    await expect(purchase).toContainText("-$120.00");
    await expect(purchase.getByRole("link", { name: `Order ${orderNumber}` })).toBeVisible();

    await expectCatalogStock(page, "classic-unicorn", "4 left");
  } finally {
    await removeDelay();
  }
});

test("a double-clicked Buy now starts one checkout and makes one order", async ({ page, stock }) => {
  await stock.set("pocket-unicorn", 10);
  await signUp(page, newShopper("double-buy"));
  await topUp(page, 50);

  await page.goto("/products/pocket-unicorn");
  await page.getByRole("button", { name: "Buy now" }).dblclick();
  await expect(page).toHaveURL(CHECKOUT_URL);
  await expectOrderConfirmed(page);

  await page.goto("/orders");
  await expect(page.getByTestId("order")).toHaveCount(1);
  expect(await walletBalanceCents(page)).toBe(5_000 - 1_999);
  await expect(page.getByTestId("wallet-entry").filter({ hasText: "Purchase" })).toHaveCount(1);
  await expectCatalogStock(page, "pocket-unicorn", "9 left");
});

test("several unicorns at once: the total follows the quantity", async ({ page, stock }) => {
  await stock.set("pocket-unicorn", 10);
  await signUp(page, newShopper("three"));
  await topUp(page, 100);

  await page.goto("/products/pocket-unicorn");
  await page.getByLabel("Quantity").selectOption("3");
  await expect(page.getByTestId("buy-total")).toHaveText("$59.97");
  await page.getByRole("button", { name: "Buy now" }).click();
  await expectOrderConfirmed(page);
  await expect(page.getByTestId("checkout-message")).toHaveText("3 × Pocket Unicorn are yours. We took $59.97 from your wallet.");
  await expect(page.getByTestId("checkout-total")).toHaveText("$59.97");
  await expectCatalogStock(page, "pocket-unicorn", "7 left");
});

test("a signed-out visitor who presses Buy now signs in and comes back to the unicorn", async ({ page, stock }) => {
  await stock.set("classic-unicorn", 5);
  await page.goto("/products/classic-unicorn");
  await expect(page.getByText("You'll sign in first")).toBeVisible();
  await page.getByRole("button", { name: "Buy now" }).click();

  await expect(page).toHaveURL(/\/sign-in\?next=%2Fproducts%2Fclassic-unicorn$/);
  await signIn(page, PAT);

  await expect(page).toHaveURL(/\/products\/classic-unicorn$/);
  await expect(page.getByTestId("signed-in-as")).toHaveText(PAT.name);
  await expect(page.getByRole("button", { name: "Buy now" })).toBeEnabled();
});

test("a unicorn with nothing left cannot be bought", async ({ page, stock }, testInfo) => {
  await stock.set("golden-unicorn", 0);
  await signInAs(page, ADA);
  await page.goto("/products/golden-unicorn");
  await expect(page.getByRole("button", { name: "Sold out" })).toBeDisabled();
  await expect(page.getByLabel("Quantity")).toBeDisabled();
  await expect(page.getByRole("button", { name: "Buy now" })).toHaveCount(0);
  await expect(page.getByText("Sold out")).toHaveCount(1);
  await screenshot(page, testInfo, "product-sold-out");
});

test("stock that ran out while the page was open: the page follows it, and a refusal is shown next to the form", async ({
  page,
  stock,
}) => {
  await stock.set("classic-unicorn", 5);
  await signUp(page, newShopper("late"));
  // The live stock goes quiet after its first answer, as on a page that lost its connection: the page goes stale.
  let stockAnswers = 0;
  await page.route(/\/api\/trpc\/catalog\.(onStock|stock)/, (route) =>
    route.request().url().includes("catalog.stock") && stockAnswers++ === 0 ? route.continue() : route.abort(),
  );
  await page.goto("/products/classic-unicorn");
  await expect(page.getByText("5 left", { exact: true })).toBeVisible();
  await page.getByLabel("Quantity").selectOption("3");

  // Others bought all but one meanwhile: the server refuses, and says so next to the form.
  await stock.set("classic-unicorn", 1);
  const tooMany = page.waitForResponse((response) => response.url().includes("checkout.start"));
  await page.getByRole("button", { name: "Buy now" }).click();
  expect((await tooMany).status()).toBe(409);
  const buyForm = page.getByRole("form", { name: "Buy" });
  await expect(buyForm.getByRole("alert")).toHaveText("Only 1 of the Classic Unicorn left.");
  await expect(page.getByLabel("Quantity")).toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL(/\/products\/classic-unicorn$/);

  // Back in touch: the page shows the stock as it is now, and asks for no more than that.
  await page.unroute(/\/api\/trpc\/catalog\.(onStock|stock)/);
  await expect(page.getByText("1 left", { exact: true })).toBeVisible();
  await expect(page.getByLabel("Quantity")).toHaveValue("1");

  // …and when the last one goes too, the page says so by itself, with no click and no reload.
  await stock.set("classic-unicorn", 0);
  await expect(page.getByRole("button", { name: "Sold out" })).toBeDisabled();
});

test("the product page and its Buy form fit a phone @phone", async ({ page, stock }, testInfo) => {
  await stock.set("classic-unicorn", 5);
  await signInAs(page, ADA);
  await page.goto("/products/classic-unicorn");
  await expect(page.getByRole("button", { name: "Buy now" })).toBeVisible();
  await expectNoSidewaysScroll(page);
  await expect(page.getByRole("link", { name: "Orders", exact: true })).toBeVisible();
  await screenshot(page, testInfo, `product-page-${testInfo.project.name}`);
});
