import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

await vi.hoisted(async () => {
  const { useCheckoutTestTimings } = await import("@/server/testing/checkout-workers");
  useCheckoutTestTimings();
});

import { db } from "@/server/db";


import {
  createFundedCustomers,
  expectEveryEventPublished,
  fundedCustomer,
  openRawQueue,
  SAGA_STEP_QUEUE,
  startAcceptedCheckout,
  stepExecution,
  waitForCheckout,
  waitForSagas,
  waitUntil,
  type RawQueue,
} from "@/server/testing/checkout-flow";
import { checkInvariants, snapshotStock } from "@/server/testing/checkout-invariants";
import {
  describeLogs,
  startCheckoutWorker,
  startCheckoutWorkers,
  stopAllCheckoutWorkers,
} from "@/server/testing/checkout-workers";
import { createTestProduct, holdRowLocks, truncateShop } from "@/server/testing/database";
import { delayAfterCommit, delayBefore, failPermanently, remainingOf } from "@/server/testing/saga-faults";
import { integrationServices } from "@/server/testing/test-databases";
import { queueKey } from "@/server/queues/queue-prefix";
import { closeCheckoutSuite, openCheckoutSuite } from "@/server/testing/checkout-suite";

/**
 * What a checkout survives: a worker process killed with `kill -9` in the middle of the payment (before and after its
 * transaction committed), Redis losing every queued job, and a step job delivered twice. PostgreSQL holds each saga's
 * state; BullMQ's stalled-job check and the engine's recovery sweep bring it home, and no step takes effect twice.
 */

const PRICE = 12_000;
let sagaSteps: RawQueue;

beforeAll(async () => {
  await openCheckoutSuite();
  sagaSteps = openRawQueue(SAGA_STEP_QUEUE);
});

afterAll(async () => {
  await sagaSteps.close();
  await closeCheckoutSuite();
});

beforeEach(truncateShop);
// Each test starts the workers it needs (some are killed on the way); none outlives its test.
afterEach(stopAllCheckoutWorkers);

async function debitsOf(checkoutId: string) {
  return db.walletEntry.findMany({ where: { idempotencyKey: `saga:${checkoutId}:debit` }, select: { amountCents: true } });
}

describe("a worker killed with kill -9 during the payment", () => {
  it("is taken over when it dies before the debit was written: paid once, on a second attempt", { timeout: 60_000 }, async () => {
    const product = await createTestProduct({ onHand: 5, salePriceCents: PRICE });
    const initialStock = await snapshotStock();
    const ada = await fundedCustomer(50_000, "Ada");
    const doomed = await startCheckoutWorker({ name: "doomed" });
    // The first delivery of the payment waits long before its transaction: the window to kill the worker in.
    const fault = await delayBefore({ step: "debit-wallet", remaining: 1, delayMs: 20_000 });

    const checkoutId = await startAcceptedCheckout(ada.client, { productSlug: product.slug });
    await waitUntil("the payment to be in progress (attempt counted, fault fired)", async () => {
      const debit = await stepExecution(checkoutId, "debit-wallet");
      return debit?.status === "running" && (await remainingOf(fault)) === 0;
    });
    expect(await debitsOf(checkoutId)).toEqual([]);

    expect(await doomed.crash()).toEqual({ code: null, signal: "SIGKILL" });
    const successor = await startCheckoutWorker({ name: "successor" });
    const status = await waitForCheckout(ada.client, checkoutId, { timeoutMs: 30_000 });

    expect(status.status, describeLogs([doomed, successor])).toBe("completed");
    expect(status.steps.find((step) => step.step === "debit-wallet")).toMatchObject({ status: "succeeded" });
    expect((await stepExecution(checkoutId, "debit-wallet"))!.attempts).toBeGreaterThanOrEqual(2);
    expect(await debitsOf(checkoutId)).toEqual([{ amountCents: -PRICE }]);
    expect((await db.wallet.findUniqueOrThrow({ where: { customerId: ada.profile.id } })).balanceCents).toBe(50_000 - PRICE);
    expect(await db.order.count({ where: { checkoutId } })).toBe(1);
    expect(await db.inventory.findUniqueOrThrow({ where: { productId: product.id } })).toMatchObject({ onHand: 4, reserved: 0 });
    expect((await checkInvariants(initialStock)).violations).toEqual([]);
  });

  it("carries on when it dies after the debit committed: never paid twice, the redelivery stands down", { timeout: 60_000 }, async () => {
    const product = await createTestProduct({ onHand: 5, salePriceCents: PRICE });
    const initialStock = await snapshotStock();
    const ada = await fundedCustomer(50_000, "Ada");
    const doomed = await startCheckoutWorker({ name: "doomed" });
    // The payment commits, then its delivery waits before scheduling the next step: the worker dies in between.
    const fault = await delayAfterCommit({ step: "debit-wallet", remaining: 1, delayMs: 20_000 });

    const checkoutId = await startAcceptedCheckout(ada.client, { productSlug: product.slug });
    await waitUntil("the payment to have committed", async () => {
      const debit = await stepExecution(checkoutId, "debit-wallet");
      return debit?.status === "succeeded" && (await remainingOf(fault)) === 0;
    });
    expect(await debitsOf(checkoutId)).toEqual([{ amountCents: -PRICE }]);
    expect(await db.sagaInstance.findUniqueOrThrow({ where: { id: checkoutId } })).toMatchObject({
      status: "running",
      currentStep: "complete-order",
    });

    expect(await doomed.crash()).toEqual({ code: null, signal: "SIGKILL" });
    const successor = await startCheckoutWorker({ name: "successor" });
    const status = await waitForCheckout(ada.client, checkoutId, { timeoutMs: 30_000 });
    expect(status.status, describeLogs([doomed, successor])).toBe("completed");
    // The killed delivery of the payment comes back (BullMQ's stalled-job check) and must find nothing to do.
    const redelivered = await waitUntil(
      "the killed payment job to be delivered again",
      async () => {
        const debit = await stepExecution(checkoutId, "debit-wallet");
        return debit && debit.attempts >= 2 ? debit : undefined;
      },
      { timeoutMs: 15_000 },
    );

    expect(redelivered).toMatchObject({ status: "succeeded" });
    expect(await debitsOf(checkoutId)).toEqual([{ amountCents: -PRICE }]);
    expect((await db.wallet.findUniqueOrThrow({ where: { customerId: ada.profile.id } })).balanceCents).toBe(50_000 - PRICE);
    expect(await db.order.count({ where: { checkoutId } })).toBe(1);
    expect(await db.outboxMessage.count()).toBe(1);
    expect(await db.inventory.findUniqueOrThrow({ where: { productId: product.id } })).toMatchObject({ onHand: 4, reserved: 0 });
    expect((await waitForCheckout(ada.client, checkoutId)).status).toBe("completed");
    expect((await checkInvariants(initialStock)).violations).toEqual([]);
  });
});

describe("a worker killed with kill -9 in the middle of a batch", () => {
  it("commits none of the batch's steps, and a successor runs each of them once", { timeout: 90_000 }, async () => {
    const opener = await createTestProduct({ slug: "opener", onHand: 5, salePriceCents: PRICE });
    const product = await createTestProduct({ onHand: 20, salePriceCents: PRICE });
    const initialStock = await snapshotStock();
    const customers = await createFundedCustomers(11, 50_000);
    // One batch at a time: the deliveries that arrive while the first one runs all go into the next.
    const doomed = await startCheckoutWorker({ name: "doomed", env: { CHECKOUT_BATCHES_IN_FLIGHT: "1" } });

    // The first checkout's reservation step waits two seconds (alone, holding the worker's one batch slot) while the
    // other eleven arrive and gather.
    await delayBefore({ step: "reserve-stock", remaining: 1, delayMs: 2_000 });
    const first = await fundedCustomer(50_000, "Opener");
    const firstId = await startAcceptedCheckout(first.client, { productSlug: opener.slug });
    await waitUntil("the first reservation to have started", async () => (await stepExecution(firstId, "reserve-stock"))?.status === "running");
    const batchIds = await Promise.all(customers.map((customer) => startAcceptedCheckout(customer.client, { productSlug: product.slug })));
    // Their reservations (taken by the starts) are held by another transaction, so the batch that confirms them waits
    // inside its own.
    const reservationRows = await holdRowLocks((tx) => tx.$queryRaw`
      SELECT id FROM reservations WHERE checkout_id = ANY(${batchIds}::uuid[]) FOR UPDATE`);
    const inBatch = await waitUntil("a batch of reservations to wait on the stock row", async () => {
      const running = await db.sagaStepExecution.findMany({
        where: { sagaId: { in: batchIds }, step: "reserve-stock", phase: "action", status: "running" },
        select: { sagaId: true },
      });
      const [waiting] = await db.$queryRaw<{ count: number }[]>`
        SELECT count(*)::int AS count FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`;
      // Attempts are counted when a batch starts, and only one batch runs at a time: these are in the same one.
      return running.length >= 2 && (waiting?.count ?? 0) >= 1 ? running.map((row) => row.sagaId) : undefined;
    });

    expect(await doomed.crash()).toEqual({ code: null, signal: "SIGKILL" });
    await reservationRows.release();
    expect(await db.sagaStepExecution.count({ where: { sagaId: { in: inBatch }, status: "succeeded" } })).toBe(0);
    const successor = await startCheckoutWorker({ name: "successor" });
    await waitForSagas([firstId, ...batchIds], { timeoutMs: 60_000 }).catch((error: Error) => {
      throw new Error(`${error.message}\n${describeLogs([doomed, successor])}`);
    });

    const summary = await checkInvariants(initialStock);
    expect(summary.violations).toEqual([]);
    expect(summary.sagas).toEqual({ completed: 12 });
    expect(summary).toMatchObject({ orders: 12, debits: 12, refunds: 0, unitsSold: 12 });
    for (const sagaId of inBatch) {
      expect((await stepExecution(sagaId, "reserve-stock"))?.attempts, `reservation of ${sagaId}`).toBeGreaterThanOrEqual(2);
    }
  });
});

describe("workers killed again and again", () => {
  it("recovers a payment whose job stalled twice (BullMQ fails it), through the sweep", { timeout: 90_000 }, async () => {
    const product = await createTestProduct({ onHand: 5, salePriceCents: PRICE });
    const initialStock = await snapshotStock();
    const ada = await fundedCustomer(50_000, "Ada");
    // The first two deliveries of the payment each wait long enough to be killed in.
    const fault = await delayBefore({ step: "debit-wallet", remaining: 2, delayMs: 30_000 });
    const first = await startCheckoutWorker({ name: "first-victim" });

    const checkoutId = await startAcceptedCheckout(ada.client, { productSlug: product.slug });
    await waitUntil("the first delivery of the payment to wait", async () => (await remainingOf(fault)) === 1);
    await first.crash();
    const second = await startCheckoutWorker({ name: "second-victim" });
    await waitUntil("the payment to be delivered again", async () => (await remainingOf(fault)) === 0, { timeoutMs: 30_000 });
    await second.crash();
    const survivor = await startCheckoutWorker({ name: "survivor" });
    const status = await waitForCheckout(ada.client, checkoutId, { timeoutMs: 45_000 }).catch((error: Error) => {
      throw new Error(`${error.message}\n${describeLogs([first, second, survivor])}`);
    });

    expect(status.status).toBe("completed");
    // BullMQ gave up on the job after its second stall; PostgreSQL's state is what brought the saga home.
    const gaveUp = survivor.logs.find((line) => line.msg === "Job failed");
    expect(gaveUp, describeLogs([survivor])).toMatchObject({ err: { message: expect.stringMatching(/stalled more than allowable limit/) } });
    expect((await stepExecution(checkoutId, "debit-wallet"))!.attempts).toBeGreaterThanOrEqual(3);
    expect(await debitsOf(checkoutId)).toEqual([{ amountCents: -PRICE }]);
    expect((await checkInvariants(initialStock)).violations).toEqual([]);
  });

  it("finishes a refund whose worker was killed in the middle of it, refunding once", { timeout: 60_000 }, async () => {
    const product = await createTestProduct({ onHand: 5, salePriceCents: PRICE });
    const initialStock = await snapshotStock();
    const ada = await fundedCustomer(50_000, "Ada");
    await failPermanently({ step: "complete-order" });
    const fault = await delayBefore({ step: "debit-wallet", phase: "compensation", remaining: 1, delayMs: 30_000 });
    const doomed = await startCheckoutWorker({ name: "doomed-refund" });

    const checkoutId = await startAcceptedCheckout(ada.client, { productSlug: product.slug });
    await waitUntil("the refund to be in progress", async () => (await remainingOf(fault)) === 0);
    expect(await db.walletEntry.count({ where: { kind: "refund" } })).toBe(0);
    await doomed.crash();
    const successor = await startCheckoutWorker({ name: "refund-successor" });
    const status = await waitForCheckout(ada.client, checkoutId, { timeoutMs: 30_000 });

    expect(status.status, describeLogs([doomed, successor])).toBe("compensated");
    expect(status.failureReason).toBe("Fault injected at complete-order (test/demo mode)");
    expect((await stepExecution(checkoutId, "debit-wallet", "compensation"))!.attempts).toBeGreaterThanOrEqual(2);
    expect(await db.walletEntry.count({ where: { kind: "refund", idempotencyKey: `saga:${checkoutId}:refund` } })).toBe(1);
    expect((await db.wallet.findUniqueOrThrow({ where: { customerId: ada.profile.id } })).balanceCents).toBe(50_000);
    expect(await db.inventory.findUniqueOrThrow({ where: { productId: product.id } })).toMatchObject({ onHand: 5, reserved: 0 });
    expect((await checkInvariants(initialStock)).violations).toEqual([]);
  });
});

describe("Redis losing every job", () => {
  it("still brings each of 30 sagas in flight to an end, through the recovery sweep", { timeout: 90_000 }, async () => {
    const product = await createTestProduct({ onHand: 40, salePriceCents: PRICE });
    const initialStock = await snapshotStock();
    // Few jobs at a time, so that some payments are running and others wait in Redis when it is emptied.
    const workers = await startCheckoutWorkers(2, { name: "flushed", env: { CHECKOUT_WORKER_CONCURRENCY: "5" } });
    const customers = await createFundedCustomers(30, 50_000);
    const start = (customer: (typeof customers)[number]) => startAcceptedCheckout(customer.client, { productSlug: product.slug });

    // Ten purchases go first, so that some PurchaseCompleted events are published (in Redis) when it is emptied. (One
    // batch of thirty slowed at payment never shows both at once: the queue is first in, first out, so every
    // complete-order job waits behind every payment.)
    const firstIds = await Promise.all(customers.slice(0, 10).map(start));
    await waitUntil("purchases to be published", async () => (await db.outboxMessage.count({ where: { publishedAt: { not: null } } })) >= 1);
    // The other twenty are still paying when Redis is emptied.
    await delayBefore({ step: "debit-wallet", remaining: 20, delayMs: 1_500 });
    const laterIds = await Promise.all(customers.slice(10).map(start));
    await waitUntil("payments to be in flight", async () => {
      const running = await db.sagaStepExecution.count({ where: { step: "debit-wallet", phase: "action", status: "running" } });
      return running >= 5;
    });
    const checkoutIds = [...firstIds, ...laterIds];
    const redis = new Redis(integrationServices().redisUrl, { maxRetriesPerRequest: 1 });
    try {
      expect(await redis.exists(queueKey(SAGA_STEP_QUEUE, "meta"))).toBe(1);
      // The test Redis database only (FLUSHDB), never the whole server.
      expect(await redis.flushdb()).toBe("OK");
    } finally {
      await redis.quit();
    }
    const unfinishedAtFlush = await db.sagaInstance.count({ where: { status: { in: ["running", "compensating"] } } });
    expect(unfinishedAtFlush).toBeGreaterThan(0);

    await waitForSagas(checkoutIds, { timeoutMs: 60_000 }).catch((error: Error) => {
      throw new Error(`${error.message}\n${describeLogs(workers)}`);
    });

    const summary = await checkInvariants(initialStock);
    expect(summary.violations).toEqual([]);
    expect(summary.sagas).toEqual({ completed: 30 });
    expect(summary).toMatchObject({ orders: 30, debits: 30, refunds: 0, unitsSold: 30 });
    expect(await db.inventory.findUniqueOrThrow({ where: { productId: product.id } })).toMatchObject({ onHand: 10, reserved: 0 });
    // Every PurchaseCompleted is in the (emptied) queue again: none is lost for Loyalty.
    expect(await expectEveryEventPublished({ republished: true })).toBe(30);
    // The sweep, not luck, recovered them.
    const sweeps = workers.flatMap((worker) => worker.logs.filter((line) => line.msg === "Recovery sweep acted"));
    expect(sweeps.some((line) => Number(line.rescheduled) > 0), describeLogs(workers)).toBe(true);
    for (const worker of workers) expect(worker.isRunning(), `${worker.name} survived the flush`).toBe(true);
  });
});

describe("the same step job delivered twice", () => {
  it("has no second effect once the saga has completed", { timeout: 60_000 }, async () => {
    const product = await createTestProduct({ onHand: 5, salePriceCents: PRICE });
    const initialStock = await snapshotStock();
    const ada = await fundedCustomer(50_000, "Ada");
    await startCheckoutWorker({ name: "duplicates" });
    const checkoutId = await startAcceptedCheckout(ada.client, { productSlug: product.slug });
    expect((await waitForCheckout(ada.client, checkoutId)).status).toBe("completed");
    const before = await db.sagaInstance.findUniqueOrThrow({ where: { id: checkoutId } });
    const balanceBefore = (await db.wallet.findUniqueOrThrow({ where: { customerId: ada.profile.id } })).balanceCents;

    // Raw BullMQ jobs under ids of their own, as a redelivery or a second scheduler would add them.
    const duplicates = await Promise.all(
      (["reserve-stock", "debit-wallet", "complete-order"] as const).map((step) =>
        sagaSteps.queue.add("run-step", { sagaId: checkoutId, sagaType: "checkout", step, phase: "action" }, { jobId: `duplicate-${randomUUID()}` }),
      ),
    );
    const outcomes = await Promise.all(
      duplicates.map((job) =>
        waitUntil(`duplicate ${job.data.step} to be processed`, async () => {
          const state = await sagaSteps.queue.getJobState(job.id!);
          if (state !== "completed" && state !== "failed") return undefined;
          const finished = await sagaSteps.queue.getJob(job.id!);
          return { step: job.data.step, state, result: finished?.returnvalue as unknown };
        }),
      ),
    );

    expect(outcomes).toEqual([
      { step: "reserve-stock", state: "completed", result: "skipped" },
      { step: "debit-wallet", state: "completed", result: "skipped" },
      { step: "complete-order", state: "completed", result: "skipped" },
    ]);
    expect(await debitsOf(checkoutId)).toEqual([{ amountCents: -PRICE }]);
    expect((await db.wallet.findUniqueOrThrow({ where: { customerId: ada.profile.id } })).balanceCents).toBe(balanceBefore);
    expect(await db.order.count()).toBe(1);
    expect(await db.reservation.count()).toBe(1);
    expect(await db.outboxMessage.count()).toBe(1);
    expect(await db.inventory.findUniqueOrThrow({ where: { productId: product.id } })).toMatchObject({ onHand: 4, reserved: 0 });
    const after = await db.sagaInstance.findUniqueOrThrow({ where: { id: checkoutId } });
    expect(after).toMatchObject({
      status: "completed",
      stepOutputs: before.stepOutputs,
      finishedAt: before.finishedAt,
      failureReason: null,
    });
    // Each delivery is counted; the step's record of success stands.
    expect(await stepExecution(checkoutId, "debit-wallet")).toMatchObject({ status: "succeeded", attempts: 2 });
    expect((await waitForCheckout(ada.client, checkoutId)).status).toBe("completed");
    expect((await checkInvariants(initialStock)).violations).toEqual([]);
  });

  it("has no second effect once the saga was compensated, and the failure stays on record", { timeout: 60_000 }, async () => {
    const product = await createTestProduct({ onHand: 5, salePriceCents: PRICE });
    const initialStock = await snapshotStock();
    const ada = await fundedCustomer(9_000, "Ada");
    await startCheckoutWorker({ name: "duplicates-after-failure" });
    const checkoutId = await startAcceptedCheckout(ada.client, { productSlug: product.slug });
    const before = await waitForCheckout(ada.client, checkoutId);
    expect(before.status).toBe("compensated");

    const jobs = [
      { step: "reserve-stock", phase: "action" },
      { step: "debit-wallet", phase: "action" },
      { step: "reserve-stock", phase: "compensation" },
    ] as const;
    const duplicates = await Promise.all(
      jobs.map((job) => sagaSteps.queue.add("run-step", { sagaId: checkoutId, sagaType: "checkout", ...job }, { jobId: `duplicate-${randomUUID()}` })),
    );
    const outcomes = await Promise.all(
      duplicates.map((job) =>
        waitUntil(`duplicate ${job.data.step} ${job.data.phase} to be processed`, async () => {
          const state = await sagaSteps.queue.getJobState(job.id!);
          if (state !== "completed" && state !== "failed") return undefined;
          return { state, result: (await sagaSteps.queue.getJob(job.id!))?.returnvalue as unknown };
        }),
      ),
    );

    expect(outcomes).toEqual(jobs.map(() => ({ state: "completed", result: "skipped" })));
    const after = await waitForCheckout(ada.client, checkoutId);
    // The same story as before, step by step: each delivery is counted, nothing else changes.
    const story = (steps: typeof before.steps) => steps.map(({ attempts: _attempts, ...step }) => step);
    expect(story(after.steps)).toEqual(story(before.steps));
    expect(after).toMatchObject({ status: "compensated", failureReason: "Your wallet was $30.00 short." });
    expect(await db.walletEntry.count({ where: { kind: { in: ["debit", "refund"] } } })).toBe(0);
    expect(await db.inventory.findUniqueOrThrow({ where: { productId: product.id } })).toMatchObject({ onHand: 5, reserved: 0 });
    expect((await checkInvariants(initialStock)).violations).toEqual([]);
  });

  it("has no second effect when the duplicate arrives while the first delivery is still running", { timeout: 60_000 }, async () => {
    const product = await createTestProduct({ onHand: 5, salePriceCents: PRICE });
    const initialStock = await snapshotStock();
    const ada = await fundedCustomer(50_000, "Ada");
    const workers = await startCheckoutWorkers(2, { name: "racing" });
    const fault = await delayBefore({ step: "debit-wallet", remaining: 1, delayMs: 1_500 });
    const checkoutId = await startAcceptedCheckout(ada.client, { productSlug: product.slug });
    await waitUntil("the first payment delivery to be waiting", async () => (await remainingOf(fault)) === 0);

    await sagaSteps.queue.add(
      "run-step",
      { sagaId: checkoutId, sagaType: "checkout", step: "debit-wallet", phase: "action" },
      { jobId: `duplicate-${randomUUID()}` },
    );
    const status = await waitForCheckout(ada.client, checkoutId);
    expect(status.status, describeLogs(workers)).toBe("completed");
    // Let the first (delayed) delivery finish too before judging.
    await waitUntil("both payment deliveries to have run", async () => {
      const debit = await stepExecution(checkoutId, "debit-wallet");
      const jobs = await sagaSteps.queue.getJobCounts("active", "waiting", "delayed");
      return debit !== null && debit.attempts >= 2 && (jobs.active ?? 0) + (jobs.waiting ?? 0) + (jobs.delayed ?? 0) === 0;
    });

    expect(await debitsOf(checkoutId)).toEqual([{ amountCents: -PRICE }]);
    expect(await db.order.count()).toBe(1);
    expect(await stepExecution(checkoutId, "debit-wallet")).toMatchObject({ status: "succeeded", attempts: 2 });
    expect((await checkInvariants(initialStock)).violations).toEqual([]);
  });
});
