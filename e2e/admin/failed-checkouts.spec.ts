import { openAdminPage, openSagaOf, sagaIdOf, shopperWhoCanPay, timelineOf } from "../support/admin";
import { injectCheckoutFault } from "../support/database";
import { expect, test } from "../support/fixtures";
import { screenshot } from "../support/screenshots";
import { buy } from "../support/shop";

// An operator and a checkout that failed after payment: a shopper in one browser, an admin in another.
test.beforeEach(async ({ stock }) => {
  // Two people, a worker and its compensations: more than the default 30 s on a busy machine.
  test.slow();
  await stock.set("pocket-unicorn", 10);
});

test("an admin forces a failure after payment: the saga shows compensated, with the refund and the release in its timeline", async ({
  page,
  browser,
}, testInfo) => {
  const shopper = await shopperWhoCanPay(page, "admin-compensated");

  // Confirming the order fails for good, once: the payment and the reservation must be undone.
  const removeFault = await injectCheckoutFault({ step: "complete-order", kind: "fail_permanently", times: 1 });
  let sagaId: string;
  try {
    sagaId = sagaIdOf(await buy(page, "pocket-unicorn"));
    await expect(page.getByRole("heading", { name: "Your order didn't go through" })).toBeVisible({ timeout: 15_000 });
  } finally {
    await removeFault();
  }

  const admin = await openAdminPage(browser);
  await openSagaOf(admin, shopper.email);
  await expect(admin).toHaveURL(new RegExp(`/admin/sagas/${sagaId}$`));
  await expect(admin.getByRole("heading", { level: 1 })).toHaveText(`Saga ${sagaId.slice(0, 8)}`);
  await expect(admin.getByTestId("saga-status")).toHaveText("Compensated");
  await expect(admin.getByTestId("failure-reason")).toContainText("Failed at complete-order:");
  await expect(admin.getByTestId("failure-reason")).toContainText("Fault injected at complete-order");

  // Steps in the order they ran, then the compensations in reverse: the refund, then the release.
  expect(await timelineOf(admin)).toEqual([
    "reserve-stock action succeeded",
    "debit-wallet action succeeded",
    "complete-order action failed",
    "debit-wallet compensation succeeded",
    "reserve-stock compensation succeeded",
  ]);
  const timeline = admin.getByTestId("timeline-step");
  await expect(timeline.nth(2)).toContainText("Failed");
  await expect(timeline.nth(2).getByTestId("timeline-error")).toHaveText("Fault injected at complete-order (test/demo mode)");
  await expect(timeline.nth(3)).toContainText("Undo debit-wallet: refund");
  await expect(timeline.nth(4)).toContainText("Undo reserve-stock: release stock");
  // An injected fault is not a business refusal: admins get its stack, folded away.
  await expect(timeline.nth(2).getByText("Stack trace")).toBeVisible();

  await expect(admin.getByTestId("saga-related")).toContainText(shopper.email);
  await expect(admin.getByTestId("saga-related")).toContainText("No order");
  await expect(admin.getByTestId("purchase-event")).toContainText("None: only a completed order publishes one.");
  await expect(admin.getByTestId("saga-input")).toContainText('"quantity": 1');
  await expect(admin.getByText("This saga has finished: there is nothing to do.")).toBeVisible();
  await screenshot(admin, testInfo, "admin-saga-compensated");

  // In the list, filtered to compensated sagas, it is there with its reason.
  await admin.goto(`/admin/sagas?status=compensated&search=${encodeURIComponent(shopper.email)}`);
  const row = admin.getByTestId("saga-table").getByTestId("saga-row");
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("Compensated");
  await expect(row).toContainText("Failed at complete-order");
  await admin.context().close();
});

test("a saga whose compensation fails is pinned under needs attention; once the cause is gone, Retry clears it", async ({
  page,
  browser,
}, testInfo) => {
  const shopper = await shopperWhoCanPay(page, "admin-retry");

  // The order fails after payment, and releasing the reserved unicorn fails too: the saga gives up and needs a person.
  const removeOrderFault = await injectCheckoutFault({ step: "complete-order", kind: "fail_permanently", times: 1 });
  const removeReleaseFault = await injectCheckoutFault({
    step: "reserve-stock",
    phase: "compensation",
    kind: "fail_permanently",
    times: 1,
  });
  try {
    const sagaId = sagaIdOf(await buy(page, "pocket-unicorn"));

    const admin = await openAdminPage(browser);
    await admin.goto("/admin/sagas");
    const pinned = admin.getByTestId("attention-table").getByTestId("saga-row").filter({ hasText: shopper.email });
    // No reload: the list asks again every couple of seconds.
    await expect(pinned).toHaveCount(1, { timeout: 15_000 });
    await expect(pinned).toContainText("Needs attention");
    await expect(pinned).toContainText("Undoing reserve-stock gave up");
    await expect(pinned).toContainText("Failed at complete-order");
    await expect(admin.getByTestId("attention-badge")).toBeVisible();
    const badgeBefore = Number((await admin.getByTestId("attention-badge").innerText()).match(/\d+/)?.[0]);
    expect(badgeBefore).toBeGreaterThanOrEqual(1);
    await expect(admin.getByTestId("status-count-needs_attention")).toContainText(String(badgeBefore));

    await pinned.getByRole("link", { name: /^Saga / }).click();
    await expect(admin).toHaveURL(new RegExp(`/admin/sagas/${sagaId}$`));
    await expect(admin.getByTestId("saga-status")).toHaveText("Needs attention");
    expect(await timelineOf(admin)).toEqual([
      "reserve-stock action succeeded",
      "debit-wallet action succeeded",
      "complete-order action failed",
      "debit-wallet compensation succeeded",
      "reserve-stock compensation failed",
    ]);
    await expect(admin.getByTestId("timeline-step").last().getByTestId("timeline-error")).toHaveText(
      "Fault injected at reserve-stock (test/demo mode)",
    );

    // The cause is fixed (the fault removed); the admin retries, after confirming.
    await removeReleaseFault();
    const retry = admin.getByRole("button", { name: "Retry compensation" });
    await retry.click();
    const dialog = admin.getByRole("dialog", { name: "Retry the failed compensation?" });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole("button", { name: "Go back" })).toBeFocused();
    await admin.keyboard.press("Escape");
    await expect(dialog).toBeHidden();
    await expect(retry).toBeFocused();
    await expect(admin.getByTestId("saga-status")).toHaveText("Needs attention");

    await retry.click();
    await dialog.getByRole("button", { name: "Retry compensation" }).click();
    await expect(admin.getByTestId("action-message")).toHaveText("Retrying the reserve-stock compensation.");
    await expect(admin.getByTestId("saga-status")).toHaveText("Compensated", { timeout: 15_000 });
    await expect(admin.getByTestId("timeline-step").last()).toHaveAttribute("data-status", "succeeded");
    await expect(admin.getByRole("button", { name: "Retry compensation" })).toHaveCount(0);
    const audit = admin.getByTestId("audit-entry").filter({ hasText: "retry-compensation" });
    await expect(audit).toHaveCount(1);
    await expect(audit).toContainText("admin@unicorn.test");
    await expect(audit).toContainText("Retrying the reserve-stock compensation.");
    await screenshot(admin, testInfo, "admin-retried");

    await admin.goto("/admin/sagas");
    await expect(admin.getByTestId("needs-attention").getByText(shopper.email)).toHaveCount(0);
    await admin.context().close();
  } finally {
    await removeOrderFault();
    await removeReleaseFault();
  }
});

test("a checkout stuck before payment: the admin redrives it (still one job), then cancels it, and it is compensated", async ({
  page,
  browser,
}) => {
  const shopper = await shopperWhoCanPay(page, "admin-cancel");
  // The payment step waits 20 s before it starts, once: long enough for an operator to find the checkout running.
  const removeDelay = await injectCheckoutFault({ step: "debit-wallet", kind: "delay_before", times: 1, delayMs: 20_000 });
  try {
    const sagaId = sagaIdOf(await buy(page, "pocket-unicorn"));
    const admin = await openAdminPage(browser);
    await admin.goto(`/admin/sagas/${sagaId}`);
    await expect(admin.getByTestId("saga-status")).toHaveText("Running");
    await expect(admin.getByRole("button", { name: "Retry compensation" })).toHaveCount(0);

    await admin.getByRole("button", { name: "Redrive" }).click();
    await admin.getByRole("dialog", { name: "Enqueue the current step again?" }).getByRole("button", { name: "Redrive" }).click();
    await expect(admin.getByTestId("action-message")).toHaveText("Enqueued debit-wallet (action) again.");

    await admin.getByRole("button", { name: "Cancel saga" }).click();
    await admin.getByRole("dialog", { name: "Cancel this checkout?" }).getByRole("button", { name: "Cancel the checkout" }).click();
    await expect(admin.getByTestId("action-message")).toHaveText("Cancelled: what it did is being undone.");
    await expect(admin.getByTestId("saga-status")).toHaveText("Compensated", { timeout: 15_000 });
    await expect(admin.getByTestId("failure-reason")).toHaveText("Failed at debit-wallet: Cancelled by our team.");
    expect(await timelineOf(admin)).toEqual([
      "reserve-stock action succeeded",
      "debit-wallet action skipped",
      "reserve-stock compensation succeeded",
    ]);
    await expect(admin.getByTestId("audit-entry")).toHaveCount(2);
    await expect(admin.getByTestId("audit-entry").first()).toContainText("cancel by admin@unicorn.test");
    await expect(admin.getByTestId("audit-entry").last()).toContainText("redrive by admin@unicorn.test");
    await expect(admin.getByTestId("saga-related")).toContainText(shopper.email);
    await admin.context().close();
  } finally {
    await removeDelay();
  }
});
