import { randomUUID } from "node:crypto";
import { Worker } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { createQueueWorker } from "@/server/queues/create-queue-worker";
import { queueConnectionOptions } from "@/server/queues/define-queue";
import { readQueueHealth } from "@/server/queues/queue-health";
import { sagaStepQueue } from "@/server/queues/saga-queue";
import { createApiClient } from "@/server/testing/api-client";
import { openRawQueue, waitUntil } from "@/server/testing/checkout-flow";
import { closeCheckoutSuite } from "@/server/testing/checkout-suite";
import { signUpStaffMember, signUpTestCustomer, truncateShop } from "@/server/testing/database";
import { integrationServices } from "@/server/testing/test-databases";
import { shopQueueNames } from "./known-queue";
import { REMOVE_QUEUE_JOB_ACTION, RETRY_QUEUE_JOB_ACTION } from "@/server/admin/audit/audit-actions";

const QUEUE = "points-replies";
/** Every queue of the registry (one saga step partition here: one Redis, SAGA_QUEUE_PARTITIONS unset). */
const QUEUE_NAMES = await shopQueueNames();

/** Empties every queue of the registry: each test arranges its own jobs. */
async function obliterateAllQueues(): Promise<void> {
  for (const name of QUEUE_NAMES) {
    const raw = openRawQueue(name);
    try {
      await raw.queue.obliterate({ force: true });
    } finally {
      await raw.close();
    }
  }
}

/**
 * Adds the payloads to the queue and lets a worker of this test fail each with `reason` until it gives up (no worker
 * of the shop runs in this file): the failed jobs an operator finds in the browser. Returns their ids, in order.
 */
async function arrangeFailedJobs(payloads: Record<string, unknown>[], reason = "Loyalty said no", attempts = 2): Promise<string[]> {
  const raw = openRawQueue(QUEUE);
  const connection = new Redis(integrationServices().redisUrl, { maxRetriesPerRequest: null });
  const worker = new Worker(QUEUE, () => Promise.reject(new Error(reason)), { ...queueConnectionOptions(QUEUE, connection), autorun: false });
  try {
    const ids: string[] = [];
    for (const payload of payloads) ids.push((await raw.queue.add("points-reply", payload, { attempts, removeOnFail: false })).id!);
    void worker.run();
    await waitUntil("the jobs to fail", async () => (await raw.queue.getJobCountByTypes("failed")) === payloads.length, { timeoutMs: 10_000 });
    return ids;
  } finally {
    await worker.close();
    await connection.quit();
    await raw.close();
  }
}

beforeEach(async () => {
  await truncateShop();
  await obliterateAllQueues();
});
afterAll(closeCheckoutSuite);

describe("admin.queues job browser", () => {
  it("lists a queue's failed jobs newest first with attempts and error, and shows one with its payload (stacks for admins only)", async () => {
    const admin = await signUpStaffMember("admin");
    const support = await signUpStaffMember("support");
    const checkoutIds = [randomUUID(), randomUUID()];
    const [older, newer] = await arrangeFailedJobs(checkoutIds.map((checkoutId) => ({ type: "points-redeemed", checkoutId })));

    const page = (await support.client.query("admin.queues.jobs", { queue: QUEUE, state: "failed" })).data();
    expect(page).toMatchObject({ queue: QUEUE, state: "failed", total: 2, page: 1 });
    expect(page.jobs.map((job) => job.id)).toEqual([newer, older]);
    expect(page.jobs[0]).toMatchObject({ name: "points-reply", attemptsMade: 2, attemptsAllowed: 2, failedReason: "Loyalty said no" });
    expect(page.jobs[0]!.finishedAt).toBeInstanceOf(Date);
    expect((await support.client.query("admin.queues.jobs", { queue: QUEUE, state: "waiting" })).data().jobs).toEqual([]);

    const seenByAdmin = (await admin.client.query("admin.queues.job", { queue: QUEUE, jobId: newer! })).data();
    expect(seenByAdmin).toMatchObject({ id: newer, state: "failed", data: { type: "points-redeemed", checkoutId: checkoutIds[1] }, failedReason: "Loyalty said no" });
    expect(seenByAdmin!.stacktrace).toHaveLength(2);
    expect(seenByAdmin!.stacktrace![0]).toContain("Error: Loyalty said no");
    expect((await support.client.query("admin.queues.job", { queue: QUEUE, jobId: newer! })).data()).toMatchObject({ id: newer, stacktrace: null });
    expect((await support.client.query("admin.queues.job", { queue: QUEUE, jobId: "no-such-job" })).data()).toBeNull();
  });

  it("retries a failed job for admins only, audited, and a second retry changes nothing and says so", async () => {
    const admin = await signUpStaffMember("admin");
    const support = await signUpStaffMember("support");
    const customer = await signUpTestCustomer();
    const [jobId] = await arrangeFailedJobs([{ type: "points-redeemed", checkoutId: randomUUID() }]);
    const target = { queue: QUEUE, jobId: jobId! };

    expect((await support.client.mutate("admin.queues.retryJob", target)).status).toBe(403);
    expect((await customer.client.mutate("admin.queues.retryJob", target)).status).toBe(403);
    expect((await createApiClient().mutate("admin.queues.retryJob", target)).status).toBe(401);
    for (const path of ["admin.queues.jobs", "admin.queues.job", "admin.queues.jobAudit", "admin.queues.depth", "admin.queues.stepLatency"] as const) {
      const input = path === "admin.queues.jobs" ? { queue: QUEUE } : path.endsWith("Latency") || path.endsWith("depth") ? undefined : target;
      expect((await customer.client.query(path, input)).status, path).toBe(403);
      expect((await createApiClient().query(path, input)).status, path).toBe(401);
    }
    expect((await admin.client.query("admin.queues.job", target)).data()).toMatchObject({ state: "failed" });

    const first = (await admin.client.mutate("admin.queues.retryJob", target)).data();
    const second = (await admin.client.mutate("admin.queues.retryJob", target)).data();

    expect(first).toEqual({ done: true, message: `Job ${jobId} is waiting to run again.` });
    expect(second).toEqual({ done: false, message: `Job ${jobId} is waiting, not failed: nothing changed.` });
    expect((await admin.client.query("admin.queues.job", target)).data()).toMatchObject({ state: "waiting", failedReason: null });
    expect((await admin.client.query("admin.queues.jobs", { queue: QUEUE, state: "failed" })).data().total).toBe(0);
    expect((await admin.client.query("admin.queues.jobs", { queue: QUEUE, state: "waiting" })).data().jobs.map((job) => job.id)).toEqual([jobId]);
    const audit = (await admin.client.query("admin.audit.list", { action: RETRY_QUEUE_JOB_ACTION })).data();
    expect(audit.map((entry) => [entry.targetId, entry.actorEmail, entry.outcome]).reverse()).toEqual([
      [`${QUEUE}/${jobId}`, admin.email, first.message],
      [`${QUEUE}/${jobId}`, admin.email, second.message],
    ]);
    // The job's own page shows the same lines (support may look).
    expect((await support.client.query("admin.queues.jobAudit", target)).data().map((entry) => entry.outcome)).toEqual([second.message, first.message]);
  });

  it("removes a failed job for admins only, audited, and a second removal finds it gone", async () => {
    const admin = await signUpStaffMember("admin");
    const support = await signUpStaffMember("support");
    const [jobId] = await arrangeFailedJobs([{ type: "points-redeemed", checkoutId: randomUUID() }]);
    const target = { queue: QUEUE, jobId: jobId! };

    expect((await support.client.mutate("admin.queues.removeJob", target)).status).toBe(403);
    const first = (await admin.client.mutate("admin.queues.removeJob", target)).data();
    const second = (await admin.client.mutate("admin.queues.removeJob", target)).data();

    expect(first).toEqual({ done: true, message: `Job ${jobId} was removed from the queue.` });
    expect(second).toEqual({ done: false, message: `Job ${jobId} is no longer in the queue: nothing to remove.` });
    expect((await admin.client.query("admin.queues.job", target)).data()).toBeNull();
    const audit = (await admin.client.query("admin.audit.list", { action: REMOVE_QUEUE_JOB_ACTION })).data();
    expect(audit.map((entry) => entry.outcome).reverse()).toEqual([first.message, second.message]);
  });

  it("answers 404 naming the queues for a queue that does not exist, and 400 for a state that does not", async () => {
    const admin = await signUpStaffMember("admin");

    for (const response of [
      await admin.client.query("admin.queues.jobs", { queue: "no-such-queue", state: "failed" }),
      await admin.client.query("admin.queues.job", { queue: "no-such-queue", jobId: "1" }),
      await admin.client.mutate("admin.queues.retryJob", { queue: "no-such-queue", jobId: "1" }),
      await admin.client.mutate("admin.queues.removeJob", { queue: "no-such-queue", jobId: "1" }),
      await admin.client.query("admin.queues.jobAudit", { queue: "no-such-queue", jobId: "1" }),
    ]) {
      expect(response.status).toBe(404);
      expect(response.error().message).toBe(`There is no queue named "no-such-queue". The queues are: ${QUEUE_NAMES.join(", ")}.`);
    }
    expect((await admin.client.query("admin.queues.jobs", { queue: QUEUE, state: "stuck" })).status).toBe(400);
    expect((await admin.client.query("admin.queues.job", { queue: QUEUE, jobId: "a:b" })).status).toBe(400);
    expect(await admin.client.query("admin.audit.list").then((response) => response.data())).toEqual([]);
  });

  it("counts the saga steps' completed jobs, which the queue removes as they finish, by the workers' metrics", async () => {
    const completed = 30;
    const raw = openRawQueue(sagaStepQueue.name);
    let worker: ReturnType<typeof createQueueWorker> | undefined;
    try {
      await raw.queue.addBulk(
        Array.from({ length: completed }, (_, index) => ({
          name: "run-step",
          data: { sagaId: randomUUID(), sagaType: "checkout", step: `step-${index}`, phase: "action" },
          opts: sagaStepQueue.defaultJobOptions,
        })),
      );
      // A worker of the shop's own making: it keeps the metrics the count rests on.
      worker = createQueueWorker(sagaStepQueue, { "run-step": () => Promise.resolve() });
      await waitUntil("the steps to complete", async () => (await raw.queue.getMetrics("completed")).meta.count === completed, { timeoutMs: 10_000 });
    } finally {
      await worker?.close();
      await raw.close();
    }

    const health = (await readQueueHealth()).find((queue) => queue.queue === sagaStepQueue.name);
    expect(health).toMatchObject({ completed: 0, completedLastHour: completed, failedLastHour: 0, completedKept: "removed at once", waiting: 0 });
    const events = (await readQueueHealth()).find((queue) => queue.queue === "purchase-events");
    expect(events).toMatchObject({ completed: 0, completedLastHour: 0, completedKept: "kept 24 h" });
  });
});
