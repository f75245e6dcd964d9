import { openAdminPage, sagaIdOf, timelineOf } from "../support/admin";
import { holdPointsCommands, injectCheckoutFault } from "../support/database";
import { expect, test } from "../support/fixtures";
import { choosePoints, shopperWithPoints } from "../support/points";
import { screenshot } from "../support/screenshots";
import { topUp } from "../support/shop";

test("the monitor shows the points step waiting for Loyalty, the command it sent and the reply, and 'restore points' when it is undone", async ({
  page,
  browser,
  stock,
  campaignRules,
}, testInfo) => {
  // Two purchases, two people and Loyalty held for a moment: more than the default 30 s on a busy machine.
  test.slow();
  await stock.set("classic-unicorn", 1);
  await stock.set("pocket-unicorn", 10);
  await campaignRules.withoutMultipliers();
  await shopperWithPoints(page, "admin-points");
  await topUp(page, 20);

  // The admin is signed in first: the checkout waits for Loyalty's reply only so long (POINTS_REPLY_TIMEOUT_MS, 15 s)
  // before it gives up, and the monitor is looked at within that.
  const admin = await openAdminPage(browser);
  // Loyalty takes no commands for now: the checkout waits for its reply. Confirming the order then fails, once.
  const releaseCommands = await holdPointsCommands();
  const removeFault = await injectCheckoutFault({ step: "complete-order", kind: "fail_permanently", times: 1 });
  try {
    await page.goto("/products/pocket-unicorn");
    await choosePoints(page, 100);
    await page.getByRole("button", { name: "Buy now" }).click();
    await expect(page).toHaveURL(/\/checkout\/[0-9a-f-]{36}$/);
    await expect(page.getByTestId("checkout-message")).toHaveText("Using your 100 points…");
    const sagaId = sagaIdOf(page.url());

    await admin.goto(`/admin/sagas/${sagaId}`);
    const redeem = admin.locator('[data-testid="timeline-step"][data-step="redeem-points"][data-phase="action"]');
    await expect(redeem.getByTestId("timeline-awaiting")).toContainText(/^Waiting for Loyalty since .+ · deadline .+$/);
    await expect(admin.getByTestId("saga-awaiting")).toContainText("Loyalty since");
    await expect(redeem.getByTestId("timeline-command")).toContainText("Command sent: Redeem 100 points towards $19.99");
    await screenshot(admin, testInfo, "admin-saga-waiting-for-loyalty");
  } finally {
    await releaseCommands();
  }
  try {
    await expect(page.getByRole("heading", { name: "Your order didn't go through" })).toBeVisible({ timeout: 15_000 });
  } finally {
    await removeFault();
  }

  // The monitor polls: the reply, and the compensations in reverse, the points restored among them.
  const redeem = admin.locator('[data-testid="timeline-step"][data-step="redeem-points"][data-phase="action"]');
  await expect(redeem.getByTestId("timeline-reply")).toContainText("Reply from Loyalty: Redeemed 100 points from 1 lot: $5.00 off");
  await expect(redeem.getByTestId("timeline-awaiting")).toHaveCount(0);
  await expect(admin.getByTestId("saga-status")).toHaveText("Compensated");
  expect(await timelineOf(admin)).toEqual([
    "reserve-stock action succeeded",
    "redeem-points action succeeded",
    "debit-wallet action succeeded",
    "complete-order action failed",
    "debit-wallet compensation succeeded",
    "redeem-points compensation succeeded",
    "reserve-stock compensation succeeded",
  ]);
  const restore = admin.locator('[data-testid="timeline-step"][data-step="redeem-points"][data-phase="compensation"]');
  await expect(restore).toContainText("Undo redeem-points: restore points");
  await expect(restore.getByTestId("timeline-command")).toContainText("Restore whatever this checkout redeemed");
  await expect(restore.getByTestId("timeline-reply")).toContainText("Restored 100 points");
  await screenshot(admin, testInfo, "admin-saga-points-restored");
  await admin.context().close();
});
