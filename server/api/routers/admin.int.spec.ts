import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";

await vi.hoisted(async () => {
  const { useCheckoutTestTimings } = await import("@/server/testing/checkout-workers");
  useCheckoutTestTimings();
});

import { actOnSaga } from "@/server/admin/sagas/act-on-saga";
import { appRouter } from "@/server/api/root";
import { db } from "@/server/db";
import { sagaEngine } from "@/server/runtime/checkout-saga-engine";
import { createApiClient, type ApiClient, type ProcedurePath } from "@/server/testing/api-client";
import {
  fundedCustomer,
  obliterateCheckoutQueues,
  openRawQueue,
  SAGA_STEP_QUEUE,
  sagaJobId,
  startAcceptedCheckout,
  waitForCheckout,
  waitUntil,
} from "@/server/testing/checkout-flow";
import { closeCheckoutSuite, openCheckoutSuite } from "@/server/testing/checkout-suite";
import { startCheckoutWorker, stopAllCheckoutWorkers } from "@/server/testing/checkout-workers";
import { createTestProduct, signUpStaffMember, signUpTestCustomer } from "@/server/testing/database";
import { clearSagaFaults, delayBefore, failPermanently } from "@/server/testing/saga-faults";

const READS: [ProcedurePath, unknown][] = [
  ["admin.sagas.list", {}],
  ["admin.sagas.needingAttention", undefined],
  ["admin.sagas.counts", undefined],
  ["admin.sagas.throughput", undefined],
  ["admin.sagas.get", { sagaId: randomUUID() }],
  ["admin.sagas.bulkRetryCount", {}],
  ["admin.queues.health", undefined],
  ["admin.queues.depth", undefined],
  ["admin.queues.stepLatency", undefined],
  ["admin.queues.jobs", { queue: "saga-steps" }],
  ["admin.queues.job", { queue: "saga-steps", jobId: "1" }],
  ["admin.queues.jobAudit", { queue: "saga-steps", jobId: "1" }],
  ["admin.invariants.latest", undefined],
  ["admin.outbox.deadLetters", undefined],
  ["admin.audit.list", undefined],
  ["admin.audit.page", undefined],
  ["admin.loyalty.rules.list", undefined],
  ["admin.loyalty.rules.versions", { ids: [randomUUID()] }],
  ["admin.loyalty.redemptionRule.get", undefined],
  ["admin.loyalty.projections", undefined],
  ["admin.loyalty.parkedStreams", undefined],
  ["admin.simulator.status", { runId: randomUUID() }],
];
const ACTIONS: [ProcedurePath, unknown][] = [
  ["admin.sagas.retryCompensation", { sagaId: randomUUID() }],
  ["admin.sagas.redrive", { sagaId: randomUUID() }],
  ["admin.sagas.cancel", { sagaId: randomUUID() }],
  ["admin.sagas.bulkRetry", {}],
  ["admin.queues.retryJob", { queue: "saga-steps", jobId: "1" }],
  ["admin.queues.removeJob", { queue: "saga-steps", jobId: "1" }],
  ["admin.outbox.redrive", { eventId: randomUUID() }],
  ["admin.loyalty.rules.create", { kind: "multiplier", name: "x", enabled: true, priority: 1, factor: 2 }],
  ["admin.loyalty.rules.setEnabled", { id: randomUUID(), enabled: false }],
  ["admin.loyalty.rules.update", { id: randomUUID(), kind: "multiplier", name: "x", enabled: true, priority: 1, factor: 2 }],
  ["admin.loyalty.rules.retire", { id: randomUUID() }],
  ["admin.loyalty.redemptionRule.update", { pointsPerStep: 100, centsPerStep: 500, maxDiscountPercent: 50 }],
  ["admin.loyalty.adjust", { customerEmail: "ada@unicorn.test", points: 5, reason: "Goodwill", idempotencyKey: "adjust-0001" }],
  ["admin.loyalty.rebuild", undefined],
  ["admin.loyalty.retryParkedStream", { projection: "point-lots", customerId: randomUUID() }],
  ["admin.simulator.start", { shoppers: 1 }],
];

const call = (client: ApiClient, [path, input]: [ProcedurePath, unknown]) =>
  ACTIONS.some(([action]) => action === path) ? client.mutate(path, input) : client.query(path, input);

beforeEach(openCheckoutSuite);
// Each test starts the workers it needs: none may run into the next test.
afterEach(stopAllCheckoutWorkers);
afterAll(closeCheckoutSuite);

describe("every admin procedure", () => {
  it("is in the lists below: a new one cannot slip past the role checks untested", () => {
    // At run time the router keeps its procedures flat, by dotted path.
    const adminPaths = Object.keys(appRouter._def.procedures).filter((path) => path.startsWith("admin."));
    expect([...READS, ...ACTIONS].map(([path]) => path).sort()).toEqual(adminPaths.sort());
  });

  it("refuses anonymous callers (401) and customers (403); support staff may look (not 401/403) but not act (403)", async () => {
    const anonymous = createApiClient();
    const customer = await signUpTestCustomer();
    const support = await signUpStaffMember("support");

    for (const procedure of [...READS, ...ACTIONS]) {
      expect((await call(anonymous, procedure)).status, procedure[0]).toBe(401);
      expect((await call(customer.client, procedure)).status, procedure[0]).toBe(403);
    }
    for (const procedure of READS) expect([401, 403], procedure[0]).not.toContain((await call(support.client, procedure)).status);
    for (const procedure of ACTIONS) {
      const response = await call(support.client, procedure);
      expect(response.status, procedure[0]).toBe(403);
      expect(response.error().message).toMatch(/can look but not act/);
    }
  });
});

describe("admin.sagas.list", () => {
  it("filters by status, customer and time, searches by saga id, order id and email, and pages newest first", async () => {
    const admin = await signUpStaffMember("admin");
    const product = await createTestProduct({ onHand: 50, salePriceCents: 1_000 });
    const ada = await fundedCustomer(50_000, "Ada");
    const bob = await fundedCustomer(50_000, "Bob");
    // No worker runs: every saga stays running until the test gives it the status it needs.
    const adaSagas = [];
    for (let index = 0; index < 3; index++) adaSagas.push(await startAcceptedCheckout(ada.client, { productSlug: product.slug }));
    const bobSaga = await startAcceptedCheckout(bob.client, { productSlug: product.slug });
    await db.sagaInstance.update({ where: { id: adaSagas[0]! }, data: { status: "compensated", createdAt: new Date("2026-01-01T00:00:00Z") } });
    await db.sagaInstance.update({ where: { id: bobSaga }, data: { status: "needs_attention" } });
    const orderId = randomUUID();
    await db.order.create({
      data: { id: orderId, checkoutId: adaSagas[1]!, customerId: ada.profile.id, productId: product.id, productName: "Test", quantity: 1, unitPriceCents: 1_000, totalCents: 1_000, paidCents: 1_000 },
    });
    const list = async (filter: Record<string, unknown>) =>
      (await admin.client.query("admin.sagas.list", { filter })).data().sagas.map((saga) => saga.id);

    expect(await list({ status: "needs_attention" })).toEqual([bobSaga]);
    expect(await list({ customerId: ada.profile.id })).toEqual([adaSagas[2], adaSagas[1], adaSagas[0]]);
    expect(await list({ to: new Date("2026-02-01T00:00:00Z") })).toEqual([adaSagas[0]]);
    expect(await list({ search: adaSagas[2] })).toEqual([adaSagas[2]]);
    expect(await list({ search: orderId })).toEqual([adaSagas[1]]);
    expect(await list({ search: bob.profile.email.toUpperCase() })).toEqual([bobSaga]);
    expect(await list({ search: "nobody@unicorn.test" })).toEqual([]);

    const first = (await admin.client.query("admin.sagas.list", { limit: 3 })).data();
    const second = (await admin.client.query("admin.sagas.list", { limit: 3, cursor: first.nextCursor })).data();
    expect([...first.sagas, ...second.sagas].map((saga) => saga.id)).toEqual([bobSaga, adaSagas[2], adaSagas[1], adaSagas[0]]);
    expect(second.nextCursor).toBeNull();
    expect((await admin.client.query("admin.sagas.counts")).data()).toEqual({
      byStatus: { running: 2, completed: 0, compensating: 0, compensated: 1, needs_attention: 1 },
      completedIsEstimate: false,
    });
    expect((await admin.client.query("admin.sagas.needingAttention")).data()).toMatchObject({ total: 1, sagas: [{ id: bobSaga }] });
    const bad = await admin.client.query("admin.sagas.list", { filter: { status: "lost" } });
    expect(bad.status).toBe(400);
  });
});

describe("operator actions", () => {
  it("retry clears a saga needing attention once the fault is gone, and a second click does nothing", { timeout: 60_000 }, async () => {
    const admin = await signUpStaffMember("admin");
    const product = await createTestProduct({ onHand: 5, salePriceCents: 12_000 });
    const ada = await fundedCustomer(50_000, "Ada");
    await startCheckoutWorker({ name: "operator" });
    await failPermanently({ step: "complete-order" });
    await failPermanently({ step: "reserve-stock", phase: "compensation" });
    const sagaId = await startAcceptedCheckout(ada.client, { productSlug: product.slug });
    expect((await waitForCheckout(ada.client, sagaId)).status).toBe("needs_attention");

    await clearSagaFaults();
    const retried = (await admin.client.mutate("admin.sagas.retryCompensation", { sagaId })).data();
    const status = await waitUntil("the retried compensation to finish", async () => {
      const saga = await db.sagaInstance.findUniqueOrThrow({ where: { id: sagaId } });
      return saga.status === "compensated" && saga;
    });
    const again = (await admin.client.mutate("admin.sagas.retryCompensation", { sagaId })).data();

    expect(retried).toEqual({ done: true, message: "Retrying the reserve-stock compensation." });
    expect(status.finishedAt).not.toBeNull();
    expect(again.done).toBe(false);
    expect(await db.inventory.findUniqueOrThrow({ where: { productId: product.id } })).toMatchObject({ onHand: 5, reserved: 0 });
    const detail = (await admin.client.query("admin.sagas.get", { sagaId })).data();
    expect(detail.steps.map((step) => `${step.step}/${step.phase}: ${step.status}`)).toContain("reserve-stock/compensation: succeeded");
    expect(detail.audit.map((entry) => [entry.action, entry.actorEmail])).toEqual([
      ["retry-compensation", admin.email],
      ["retry-compensation", admin.email],
    ]);
    expect(detail.customer?.id).toBe(ada.profile.id);
  });

  it("never changes a saga without its audit line, and a cancel before the first step still gives the held units back", async () => {
    const admin = await signUpStaffMember("admin");
    const product = await createTestProduct({ onHand: 5, salePriceCents: 12_000 });
    const ada = await fundedCustomer(50_000, "Ada");
    // No worker: the saga stays running, waiting for its first step.
    const sagaId = await startAcceptedCheckout(ada.client, { productSlug: product.slug });
    const unrecordable = { id: "not-an-actor-id", email: admin.email };

    await expect(actOnSaga({ action: "cancel", sagaId, actor: unrecordable, engine: sagaEngine })).rejects.toThrow();

    expect((await db.sagaInstance.findUniqueOrThrow({ where: { id: sagaId } })).status).toBe("running");
    expect(await db.adminAuditEntry.count({ where: { targetId: sagaId } })).toBe(0);
    const cancelled = (await admin.client.mutate("admin.sagas.cancel", { sagaId })).data();
    expect(cancelled.done).toBe(true);
    expect(await db.adminAuditEntry.count({ where: { targetId: sagaId, action: "cancel" } })).toBe(1);
    // Cancelled before its first step ran: the units checkout.start held still go back on sale.
    await startCheckoutWorker({ name: "after-cancel" });
    expect((await waitForCheckout(ada.client, sagaId)).status).toBe("compensated");
    expect(await db.inventory.findUniqueOrThrow({ where: { productId: product.id } })).toMatchObject({ onHand: 5, reserved: 0 });
  });

  it.each(["admin.sagas.retryCompensation", "admin.sagas.redrive", "admin.sagas.cancel"] as const)(
    "%s of a saga that does not exist answers 404 and records nothing",
    async (path) => {
      const admin = await signUpStaffMember("admin");
      const sagaId = randomUUID();
      const answer = await admin.client.mutate(path, { sagaId });
      expect(answer.status).toBe(404);
      expect(answer.error().message).toBe("There is no such saga.");
      expect(await db.adminAuditEntry.count({ where: { targetId: sagaId } })).toBe(0);
    },
  );

  it("cancel compensates a running saga once; redrive puts a lost job back, once", { timeout: 60_000 }, async () => {
    const admin = await signUpStaffMember("admin");
    const product = await createTestProduct({ onHand: 5, salePriceCents: 12_000 });
    const ada = await fundedCustomer(50_000, "Ada");
    // No worker yet: the first job waits in Redis; then it is lost.
    const lost = await startAcceptedCheckout(ada.client, { productSlug: product.slug });
    await obliterateCheckoutQueues();
    const raw = openRawQueue(SAGA_STEP_QUEUE);
    try {
      expect(await raw.queue.getJob(sagaJobId(lost, "reserve-stock"))).toBeUndefined();
      expect((await admin.client.mutate("admin.sagas.redrive", { sagaId: lost })).data().done).toBe(true);
      expect((await admin.client.mutate("admin.sagas.redrive", { sagaId: lost })).data().done).toBe(true);
      expect(await raw.queue.getJob(sagaJobId(lost, "reserve-stock"))).toBeDefined();
      expect(await raw.queue.count()).toBe(1);
    } finally {
      await raw.close();
    }

    await delayBefore({ step: "debit-wallet", delayMs: 3_000 });
    await startCheckoutWorker({ name: "operator-2" });
    expect((await waitForCheckout(ada.client, lost)).status).toBe("completed");
    const slow = await startAcceptedCheckout(ada.client, { productSlug: product.slug });
    await waitUntil("the payment to be under way", async () => (await db.reservation.count({ where: { checkoutId: slow } })) === 1);
    const cancelled = (await admin.client.mutate("admin.sagas.cancel", { sagaId: slow })).data();
    const again = (await admin.client.mutate("admin.sagas.cancel", { sagaId: slow })).data();
    const final = await waitForCheckout(ada.client, slow);

    expect(cancelled.done).toBe(true);
    expect(again.done).toBe(false);
    expect(final.status).toBe("compensated");
    // The shopper reads a neutral reason; who cancelled stays in the audit log.
    expect(final.failureReason).toBe("Cancelled by our team.");
    expect(final.steps.map((step) => step.error ?? "").join(" ")).not.toContain(admin.email);
    expect(await db.adminAuditEntry.findMany({ where: { targetId: slow, action: "cancel" }, select: { actorEmail: true } })).toEqual([
      { actorEmail: admin.email },
      { actorEmail: admin.email },
    ]);
    expect(await db.inventory.findUniqueOrThrow({ where: { productId: product.id } })).toMatchObject({ onHand: 4, reserved: 0 });
  });
});

describe("the flash-sale simulator", () => {
  it("sends 60 shoppers for the 5 Classic Unicorns: 5 sold, none oversold, money taken = orders confirmed", { timeout: 90_000 }, async () => {
    const admin = await signUpStaffMember("admin");
    const product = await createTestProduct({ onHand: 2 });
    await startCheckoutWorker({ name: "simulator", env: { CHECKOUT_WORKER_CONCURRENCY: "16" } });

    const { runId } = (await admin.client.mutate("admin.simulator.start", { shoppers: 60 })).data();
    const status = await waitUntil(
      "every virtual shopper to be answered and every saga to end",
      async () => {
        const current = (await admin.client.query("admin.simulator.status", { runId })).data();
        return current.finished && current;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );

    expect(status).toMatchObject({ shoppers: 60, answered: 60, refused: 0, unitsOnSale: 5, sold: 5, oversold: 0, purchases: 5 });
    expect(status.stock).toEqual({ onHand: 0, reserved: 0, available: 0 });
    expect(status.moneyTakenCents).toBe(status.confirmedOrdersCents);
    expect(status.confirmedOrdersCents).toBe(5 * 12_000);
    // Turned away at the door or compensated after a lost race: every other shopper, none charged.
    expect(status.turnedAway + status.sagas.compensated).toBe(55);
    expect(await db.inventory.findUniqueOrThrow({ where: { productId: product.id } })).toMatchObject({ onHand: 0 });
    const bad = await admin.client.mutate("admin.simulator.start", { shoppers: 5_000 });
    expect(bad.status).toBe(400);
  });
});

describe("admin.loyalty.rebuild", () => {
  it("queues one rebuild for a loyalty worker however often it is asked, and audits each request", async () => {
    const admin = await signUpStaffMember("admin");

    const first = (await admin.client.mutate("admin.loyalty.rebuild")).data();
    await admin.client.mutate("admin.loyalty.rebuild");

    expect(first.queued).toBe(true);
    const raw = openRawQueue("loyalty-maintenance");
    try {
      expect(await raw.queue.count()).toBe(1);
      await raw.queue.obliterate({ force: true });
    } finally {
      await raw.close();
    }
    const audit = (await admin.client.query("admin.audit.list")).data();
    expect(audit.filter((entry) => entry.action === "rebuild-projections")).toHaveLength(2);
  });
});
