import { ADMIN, openAdminPage, sagaIdOf, shopperWhoCanPay } from "../support/admin";
import { seriousViolations } from "../support/axe";
import { expect, test } from "../support/fixtures";
import { screenshot } from "../support/screenshots";
import { buy, expectOrderConfirmed, signInAs } from "../support/shop";

test("a customer reads out the order number of their checkout; the admin types it, as shown, and finds that one saga", async ({
  page,
  browser,
  stock,
}, testInfo) => {
  // A shopper and a worker in one browser, an admin in another: more than the default 30 s on a busy machine.
  test.slow();
  await stock.set("pocket-unicorn", 10);
  await shopperWhoCanPay(page, "saga-search");
  const sagaId = sagaIdOf(await buy(page, "pocket-unicorn"));
  await expectOrderConfirmed(page);
  // What the customer sees, and reads out on the phone.
  const reference = await page.getByTestId("checkout-order-number").innerText();
  expect(reference).toMatch(/^#[0-9A-F]{8}$/);

  const admin = await openAdminPage(browser);
  await admin.goto("/admin/sagas");
  const searchBox = admin.getByRole("searchbox", { name: "Search" });
  const rows = admin.getByTestId("saga-table").getByTestId("saga-row");
  // With the # or without it, as the customer may say it.
  for (const typed of [reference, reference.slice(1)]) {
    await searchBox.fill(typed);
    await admin.getByRole("button", { name: "Apply filters" }).click();
    await expect(admin).toHaveURL(new RegExp(`[?&]search=${encodeURIComponent(typed)}`));
    await expect(rows).toHaveCount(1);
    await expect(rows.getByRole("link", { name: /^Saga / })).toHaveAttribute("href", `/admin/sagas/${sagaId}`);
    await expect(searchBox).toHaveValue(typed);
  }
  await screenshot(admin, testInfo, "admin-saga-search-by-reference");

  // Five characters of it are not enough to be an id: said beside the box, and nothing is listed.
  await searchBox.fill(reference.slice(0, 5));
  await admin.getByRole("button", { name: "Apply filters" }).click();
  await expect(admin.getByRole("alert").filter({ hasText: "Type at least 6 characters of an id or order number" })).toBeVisible();
  await expect(admin.getByTestId("saga-table")).toHaveCount(0);
  await expect(searchBox).toHaveValue(reference.slice(0, 5));
  await admin.context().close();
});

test("an invalid filter says why beside its field, lists no saga and keeps what was typed in every field; axe passes @phone", async ({
  page,
}) => {
  test.slow();
  await signInAs(page, ADMIN);
  await page.goto("/admin/sagas");
  await expect(page.getByTestId("saga-table").or(page.getByTestId("no-sagas"))).toBeVisible();

  // An email typed as the customer id, dates in the wrong order, and a search that is fine on its own.
  await page.getByRole("searchbox", { name: "Search" }).fill("pat");
  await page.getByLabel("Customer id").fill("pat@unicorn.test");
  await page.getByLabel("Started from").fill("2026-12-01T12:00");
  await page.getByLabel("Started before").fill("2026-12-01T09:00");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/[?&]customerId=pat%40unicorn.test/);

  await expect(page.getByLabel("Customer id")).toHaveAccessibleDescription(/That is not a customer id .*use Search/);
  await expect(page.getByLabel("Started before")).toHaveAccessibleDescription("The end must be after the start.");
  await expect(page.getByTestId("filter-refused")).toHaveText("No sagas are listed until the filter above is fixed.");
  await expect(page.getByTestId("saga-table")).toHaveCount(0);
  await expect(page.getByTestId("no-sagas")).toHaveCount(0);
  // No bulk action on a filter that is not one.
  await expect(page.getByRole("button", { name: /Retry all matching/ })).toHaveCount(0);

  await expect(page.getByRole("searchbox", { name: "Search" })).toHaveValue("pat");
  await expect(page.getByLabel("Customer id")).toHaveValue("pat@unicorn.test");
  await expect(page.getByLabel("Started from")).toHaveValue("2026-12-01T12:00");
  await expect(page.getByLabel("Started before")).toHaveValue("2026-12-01T09:00");
  expect(await seriousViolations(page)).toEqual([]);

  // Fixed, the list is back, filtered as typed.
  await page.getByLabel("Customer id").fill("");
  await page.getByLabel("Started from").fill("");
  await page.getByLabel("Started before").fill("");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/\/admin\/sagas\?search=pat$/);
  await expect(page.getByTestId("filter-refused")).toHaveCount(0);
  await expect(page.getByTestId("saga-table").or(page.getByTestId("no-sagas"))).toBeVisible();
});
