import { expect, test } from "../support/fixtures";
import { followReservationReleaseAndSale } from "../support/live-stock";

test("an open product page follows a reservation, a release and a sale within a second, without a reload", async ({
  browser,
  page,
  stock,
}) => {
  await followReservationReleaseAndSale({ browser, page, stock });
});

test("when the live stream is unavailable, the page asks for the stock instead", async ({ page, stock }) => {
  await page.route("**/api/trpc/catalog.onStock**", (route) => route.abort());
  await stock.set("classic-unicorn", 3);
  await page.goto("/products/classic-unicorn");
  await expect(page.getByText("3 left", { exact: true })).toBeVisible();
  await stock.set("classic-unicorn", 2);
  // Asked once a second while the stream is down.
  await expect(page.getByText("2 left", { exact: true })).toBeVisible({ timeout: 2_000 });
});
