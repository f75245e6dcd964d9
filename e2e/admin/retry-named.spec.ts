import type { Browser, Page } from "@playwright/test";
import { ADMIN, failedCheckoutInItsOwnBrowser, openAdminPage, sagaIdOf, shopperWhoCanPay } from "../support/admin";
import { seriousViolations } from "../support/axe";
import { injectCheckoutFault } from "../support/database";
import { expect, test } from "../support/fixtures";
import { expectNoSidewaysScroll } from "../support/layout";
import { screenshot } from "../support/screenshots";
import { buy, signInAs } from "../support/shop";

// "6 Dec 2026, 21:04:17 UTC": every time on the saga detail page, to the second with its zone.
const TO_THE_SECOND = /^\d{1,2} \w{3,4} \d{4}, \d{2}:\d{2}:\d{2} \S+$/;

test.beforeEach(async ({ stock }) => {
  // Shoppers, an admin, a worker and compensations: more than the default 30 s on a busy machine.
  test.slow();
  await stock.set("pocket-unicorn", 10);
});

/** A checkout that pays, fails to confirm, and whose undo then gives up at `gaveUp`: it needs attention. */
async function stuckCheckout(browser: Browser, label: string): Promise<string> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await shopperWhoCanPay(page, label);
    return sagaIdOf(await buy(page, "pocket-unicorn"));
  } finally {
    await context.close();
  }
}

async function waitForStatus(admin: Page, sagaId: string, status: string) {
  await admin.goto(`/admin/sagas/${sagaId}`);
  await expect(admin.getByTestId("saga-status")).toHaveText(status, { timeout: 15_000 });
}

test("the retry dialog names the compensation that gave up (the refund), and once confirmed the saga is undone", async ({ page, browser }, testInfo) => {
  await shopperWhoCanPay(page, "retry-named");
  // Confirming the order fails for good; then the refund fails for good too: the saga needs a person.
  const removeOrderFault = await injectCheckoutFault({ step: "complete-order", kind: "fail_permanently", times: 1 });
  const removeRefundFault = await injectCheckoutFault({ step: "debit-wallet", phase: "compensation", kind: "fail_permanently", times: 1 });
  try {
    const sagaId = sagaIdOf(await buy(page, "pocket-unicorn"));
    const admin = await openAdminPage(browser);
    await waitForStatus(admin, sagaId, "Needs attention");
    await expect(admin.getByTestId("attention-reason")).toContainText("Undoing debit-wallet gave up");
    await expect(admin.getByTestId("failure-reason")).toContainText("Failed at complete-order");

    // A saga that needs attention has not finished: it shows when it gave up, and no deadline.
    const facts = admin.getByRole("region", { name: "Saga", exact: true });
    await expect(facts.getByText("Gave up")).toBeVisible();
    await expect(facts.getByText("Finished", { exact: true })).toHaveCount(0);
    await expect(facts.getByText("Deadline")).toHaveCount(0);
    for (const time of await admin.locator("main time").all()) await expect(time).toHaveText(TO_THE_SECOND);

    await removeRefundFault();
    await admin.getByRole("button", { name: "Retry compensation" }).click();
    const dialog = admin.getByRole("dialog", { name: "Retry the failed compensation?" });
    await expect(dialog.getByTestId("retry-runs")).toHaveText("Undo debit-wallet: refund runs again, then Undo reserve-stock: release stock.");
    await expect(dialog).not.toContainText("complete-order");
    await screenshot(admin, testInfo, "admin-retry-names-refund");
    await dialog.getByRole("button", { name: "Retry compensation" }).click();

    await expect(admin.getByTestId("action-message")).toHaveText("Retrying the debit-wallet compensation.");
    await expect(admin.getByTestId("saga-status")).toHaveText("Compensated", { timeout: 15_000 });
    const refund = admin.locator('[data-testid="timeline-step"][data-step="debit-wallet"][data-phase="compensation"]');
    await expect(refund).toHaveAttribute("data-status", "succeeded");
    // Its own run time, with the wait before its second attempt (the operator's retry) apart.
    await expect(refund.getByTestId("timeline-timing")).toHaveText(/ran \d[\d.]* (ms|s) · waited .+ before its last attempt/);
    await expect(facts.getByText("Finished", { exact: true })).toBeVisible();
    await expect(facts.getByText("Deadline")).toHaveCount(0);
    await expect(admin.getByTestId("audit-entry").filter({ hasText: "retry-compensation" })).toContainText("Retrying the debit-wallet compensation.");
    await admin.context().close();
  } finally {
    await removeOrderFault();
    await removeRefundFault();
  }
});

test("an admin picks two sagas with checkboxes and retries exactly those", async ({ browser }) => {
  const removeOrderFault = await injectCheckoutFault({ step: "complete-order", kind: "fail_permanently", times: 2 });
  const removeReleaseFault = await injectCheckoutFault({ step: "reserve-stock", phase: "compensation", kind: "fail_permanently", times: 2 });
  try {
    const sagaIds = [await stuckCheckout(browser, "bulk-one"), await stuckCheckout(browser, "bulk-two")];
    const admin = await openAdminPage(browser);
    for (const sagaId of sagaIds) await waitForStatus(admin, sagaId, "Needs attention");
    await removeReleaseFault();

    await admin.goto("/admin/sagas");
    const rowOf = (sagaId: string) => admin.getByTestId("saga-table").locator(`[data-saga-id="${sagaId}"]`);
    // "All matching" keeps its count in its dialog.
    await admin.getByRole("button", { name: "Retry all matching" }).click();
    const all = admin.getByRole("dialog", { name: "Retry every matching saga that needs attention?" });
    await expect(all.getByTestId("bulk-matching-count")).toHaveText(/^([2-9]|\d{2,}) sagas need attention and match/);
    await all.getByRole("button", { name: "Go back" }).click();

    for (const sagaId of sagaIds) await rowOf(sagaId).getByRole("checkbox", { name: `Pick saga ${sagaId.slice(0, 8)}` }).check();
    await admin.getByRole("button", { name: "Retry 2 picked sagas" }).click();
    const picked = admin.getByRole("dialog", { name: "Retry the 2 picked sagas?" });
    for (const sagaId of sagaIds) await expect(picked).toContainText(sagaId.slice(0, 8));
    await picked.getByRole("button", { name: "Retry the picked" }).click();
    await expect(admin.getByTestId("action-message")).toHaveText("Retried 2 of 2 picked sagas.");
    for (const sagaId of sagaIds) await expect(rowOf(sagaId)).toContainText("Compensated", { timeout: 15_000 });
    // Done, the picks are cleared: nothing is retried twice by accident.
    await expect(admin.getByRole("button", { name: "Retry picked" })).toBeDisabled();
    await admin.context().close();
  } finally {
    await removeOrderFault();
    await removeReleaseFault();
  }
});

test.describe("at 390 px", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("the saga list shows a row's status, customer, amount and start on screen; list and detail pass axe", async ({ page, browser }, testInfo) => {
    const shopper = await failedCheckoutInItsOwnBrowser(browser, "narrow");
    await signInAs(page, ADMIN);
    await page.goto("/admin/sagas");
    const row = page.getByTestId("saga-table").locator(`[data-saga-id="${shopper.sagaId}"]`);
    await row.scrollIntoViewIfNeeded();
    for (const cell of ["saga-row-status", "saga-row-customer", "saga-row-amount", "saga-row-started"]) {
      await expect(row.getByTestId(cell), cell).toBeInViewport({ ratio: 1 });
    }
    await expect(row.getByTestId("saga-row-customer")).toContainText(shopper.email);
    await expect(row.getByRole("link", { name: `Saga ${shopper.sagaId.slice(0, 8)}` })).toBeInViewport({ ratio: 1 });
    await expectNoSidewaysScroll(page);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, testInfo, "admin-sagas-390");

    await page.goto(`/admin/sagas/${shopper.sagaId}`);
    await expect(page.getByTestId("saga-status")).toHaveText("Compensated");
    await expectNoSidewaysScroll(page);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, testInfo, "admin-saga-390");
  });
});
