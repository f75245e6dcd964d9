import { openAdminPage } from "../support/admin";
import { expect, test } from "../support/fixtures";
import { screenshot } from "../support/screenshots";

test("the flash-sale simulator: 200 shoppers for 5 unicorns sell exactly 5, oversell none, and every invariant holds", async ({
  browser,
  stock,
}, testInfo) => {
  // 200 checkouts through the real worker, then Loyalty awarding the points: more than the default 30 s when busy.
  test.slow();
  // Remembered here so the catalog is put back afterwards; the simulator itself puts 5 on sale.
  await stock.set("classic-unicorn", 5);
  const admin = await openAdminPage(browser);
  await admin.goto("/admin/sagas");
  await admin.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Simulator" }).click();
  await expect(admin.getByRole("heading", { name: "Flash-sale simulator" })).toBeVisible();

  await expect(admin.getByLabel("Shoppers")).toHaveValue("200");
  await admin.getByRole("button", { name: "Start" }).click();
  await expect(admin).toHaveURL(/\/admin\/simulator\?run=[0-9a-f-]{36}$/);
  await expect(admin.getByRole("heading", { name: "Run of 200 shoppers" })).toBeVisible();

  await expect(admin.getByTestId("simulator-state")).toHaveText("Finished: every shopper answered, every saga settled.", {
    timeout: 60_000,
  });
  await expect(admin.getByTestId("invariant-sold-detail")).toContainText("5 sold of 5 on sale");
  await expect(admin.getByTestId("invariant-sold")).toHaveAttribute("data-verdict", "holds");
  await expect(admin.getByTestId("invariant-oversold")).toHaveAttribute("data-verdict", "holds");
  await expect(admin.getByTestId("invariant-oversold-detail")).toContainText(/^0 /);
  await expect(admin.getByTestId("invariant-money")).toHaveAttribute("data-verdict", "holds");
  await expect(admin.getByTestId("invariant-money-detail")).toHaveText("$600.00 taken from wallets · $600.00 of confirmed orders");
  // Loyalty learns of the 5 purchases from their published events, a moment later.
  await expect(admin.getByTestId("invariant-points")).toHaveAttribute("data-verdict", "holds", { timeout: 20_000 });
  await expect(admin.getByTestId("invariant-points-detail")).toHaveText("5 of 5 purchases have their points");
  await expect(admin.getByTestId("simulator-sagas-completed")).toContainText("5");
  await expect(admin.getByTestId("simulator-sagas-running")).toContainText("0");
  await screenshot(admin, testInfo, "admin-flash-sale");
  await admin.context().close();
});
