import { randomUUID } from "node:crypto";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { ADMIN } from "../support/admin";
import { seriousViolations } from "../support/axe";
import { expect, test } from "../support/fixtures";
import { expectNoSidewaysScroll } from "../support/layout";
import { signInAs } from "../support/shop";
import { queuePrefix } from "../../server/queues/queue-prefix";

const QUEUE = "points-replies";

/**
 * ARRANGES a failed job through the real queue API: a reply "from Loyalty" with a checkout id that is no uuid, which
 * the running checkout worker refuses for good (UnrecoverableError: retrying cannot fix the data). Returns the job
 * and a way to fix its payload, as whoever fixes the cause would, before the operator retries it.
 */
async function failedPointsReply(): Promise<{ jobId: string; fix(): Promise<void>; close(): Promise<void> }> {
  const connection = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379/2", { maxRetriesPerRequest: null });
  const queue = new Queue(QUEUE, { connection, prefix: queuePrefix(QUEUE) });
  const jobId = `e2e-reply-${randomUUID()}`;
  const reply = { type: "PointsRestoredForCheckout", customerId: randomUUID(), points: 0, repliedAt: new Date().toISOString() };
  const job = await queue.add("points-reply", { ...reply, checkoutId: "not-a-checkout" }, { jobId, attempts: 10, removeOnFail: { age: 86_400 } });
  await expect.poll(() => job.getState(), { timeout: 20_000 }).toBe("failed");
  return {
    jobId,
    // A reply for a checkout no saga waits on: the engine takes it and does nothing, and the job completes.
    fix: () => job.updateData({ ...reply, checkoutId: randomUUID() }),
    close: async () => {
      await queue.close();
      await connection.quit();
    },
  };
}

test("an admin finds a failed job in the job browser, retries it from its confirm dialog, and it leaves the failed list, audited @phone", async ({ page }) => {
  test.slow();
  const arranged = await failedPointsReply();
  try {
    await signInAs(page, ADMIN);
    await page.goto("/admin/queues");
    const row = page.locator(`[data-testid="queue-row"][data-queue="${QUEUE}"]`);
    await row.getByRole("link", { name: new RegExp(`failed in ${QUEUE}`) }).click();

    // The failed list, newest first, with the error the worker gave.
    await expect(page).toHaveURL(new RegExp(`/admin/queues/${QUEUE}\\?state=failed$`));
    const listed = page.locator(`[data-testid="job-row"][data-job-id="${arranged.jobId}"]`);
    await expect(listed).toContainText("Invalid payload");
    await expect(listed).toContainText("1 of 10 attempts");
    expect(await seriousViolations(page)).toEqual([]);
    await expectNoSidewaysScroll(page);

    // Its page: the payload, the error and (for an admin) the stack.
    await listed.getByRole("link", { name: arranged.jobId }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Job ${arranged.jobId}`);
    await expect(page.getByTestId("job-state")).toHaveText("Failed");
    await expect(page.getByTestId("job-payload")).toContainText('"checkoutId": "not-a-checkout"');
    await expect(page.getByTestId("job-error")).toContainText("checkoutId");
    await expect(page.getByText("Stack of each failed attempt")).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await expectNoSidewaysScroll(page);

    // The cause fixed, the admin retries it: the dialog names the job, and is checked as it stands.
    await arranged.fix();
    await page.getByRole("button", { name: "Retry", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: `Retry the points-reply job ${arranged.jobId} of ${QUEUE}?` });
    await expect(dialog.getByRole("button", { name: "Go back" })).toBeFocused();
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole("button", { name: "Retry the job" }).click();
    await expect(page.getByTestId("action-message")).toHaveText(`Job ${arranged.jobId} is waiting to run again.`);
    // The checkout worker runs it again, and this time it completes.
    await expect(page.getByTestId("job-state")).toHaveText("Completed", { timeout: 15_000 });
    const audit = page.getByTestId("job-audit").getByTestId("audit-entry");
    await expect(audit).toHaveCount(1);
    await expect(audit.first()).toContainText(`retry-queue-job by ${ADMIN.email}`);
    await expect(audit.first()).toContainText(`Job ${arranged.jobId} is waiting to run again.`);

    // Gone from the failed list.
    await page.goto(`/admin/queues/${QUEUE}?state=failed`);
    await expect(page.getByTestId("queue-jobs")).toBeVisible();
    await expect(page.locator(`[data-testid="job-row"][data-job-id="${arranged.jobId}"]`)).toHaveCount(0);
  } finally {
    await arranged.close();
  }
});

test("a job that is no longer in the queue says so, and an unknown queue is a 404", async ({ page }) => {
  await signInAs(page, ADMIN);
  await page.goto(`/admin/queues/${QUEUE}/jobs/long-gone-job`);
  await expect(page.getByTestId("job-gone")).toContainText("This job is no longer in the queue");
  expect(await seriousViolations(page)).toEqual([]);

  const response = await page.goto("/admin/queues/no-such-queue?state=failed");
  expect(response?.status()).toBe(404);
});
