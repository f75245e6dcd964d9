import { randomUUID } from "node:crypto";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { db, disconnectDb } from "@/server/db";
import { createSagaEngine, type SagaScheduler } from "@/server/saga/saga-engine";
import type { SagaJob } from "@/server/saga/saga-store";
import { createFundedCustomers } from "@/server/testing/checkout-flow";
import { checkInvariants, snapshotStock } from "@/server/testing/checkout-invariants";
import { createTestProduct, truncateShop } from "@/server/testing/database";
import { failPermanently } from "@/server/testing/saga-faults";
import { checkoutSaga } from "./checkout-saga";
import { startCheckout } from "./start-checkout";

/**
 * Under load a checkout worker runs the step jobs delivered together as one batch, in ONE transaction. These tests
 * drive the engine's batch path directly (its scheduler records the jobs it would send to BullMQ), on real
 * PostgreSQL: a batch commits as one, a step that fails does not take the others' work with it, a repeated delivery
 * acts once, and two batches locking the same rows in opposite orders do not deadlock.
 */

function batchingEngine() {
  const scheduled: SagaJob[] = [];
  const scheduler: SagaScheduler = {
    async schedule(jobs) {
      scheduled.push(...jobs.map(({ job }) => job));
    },
  };
  const engine = createSagaEngine({
    sagas: [checkoutSaga({ reservationTtlMs: 60_000, pointsReplyTimeoutMs: 60_000 })],
    scheduler,
    recoverAfterMs: 60_000,
    faultsEnabled: true,
  });
  /** Runs every job scheduled so far as one batch. */
  const runScheduled = () => engine.runStepJobs(scheduled.splice(0));
  return { engine, scheduled, runScheduled };
}

async function startCheckouts(engine: ReturnType<typeof batchingEngine>["engine"], customerIds: string[], productSlugs: string[]) {
  const ids: string[] = [];
  for (const [index, customerId] of customerIds.entries()) {
    const productSlug = productSlugs[index % productSlugs.length] ?? "";
    const { checkoutId } = await startCheckout({ customerId, productSlug, quantity: 1, idempotencyKey: randomUUID(), sagas: engine, reservationTtlMs: 600_000 });
    ids.push(checkoutId);
  }
  return ids;
}

/** The transaction that last wrote each saga's row: sagas a batch moved on together share it. */
async function lastWritersOf(sagaIds: string[]): Promise<Set<string>> {
  const rows = await db.$queryRaw<{ writer: string }[]>`
    SELECT xmin::text AS writer FROM saga_instances WHERE id = ANY(${sagaIds}::uuid[])`;
  return new Set(rows.map((row) => row.writer));
}

async function statusesOf(sagaIds: string[]) {
  const sagas = await db.sagaInstance.findMany({ where: { id: { in: sagaIds } }, select: { id: true, status: true, currentStep: true } });
  return new Map(sagas.map((saga) => [saga.id, `${saga.status} ${saga.currentStep ?? ""}`.trim()]));
}

beforeEach(truncateShop);
afterAll(disconnectDb);

describe("a batch of step jobs", () => {
  it("moves every saga in it on in one transaction, each step once, and schedules each saga's next job", async () => {
    const { engine, scheduled, runScheduled } = batchingEngine();
    const products = [await createTestProduct({ slug: "pearl", onHand: 10 }), await createTestProduct({ slug: "opal", onHand: 10 })];
    const initial = await snapshotStock();
    const customers = await createFundedCustomers(6, 1_000_000);
    const sagaIds = await startCheckouts(engine, customers.map((customer) => customer.id), products.map((product) => product.slug));

    for (const step of ["reserve-stock", "debit-wallet", "complete-order"]) {
      expect(scheduled.map((job) => job.step)).toEqual(sagaIds.map(() => step));
      const results = await runScheduled();
      expect(results).toEqual(sagaIds.map(() => ({ ok: true, outcome: "succeeded" })));
      expect((await lastWritersOf(sagaIds)).size).toBe(1);
    }

    expect(scheduled).toEqual([]);
    expect([...(await statusesOf(sagaIds)).values()]).toEqual(sagaIds.map(() => "completed"));
    expect(await db.order.count()).toBe(6);
    const steps = await db.sagaStepExecution.findMany({ select: { status: true, attempts: true } });
    expect(steps).toHaveLength(18);
    expect(steps.every((step) => step.status === "succeeded" && step.attempts === 1)).toBe(true);
    expect((await checkInvariants(initial)).violations).toEqual([]);
  });

  it("runs its steps one by one when one of them fails, so only that saga is compensated", async () => {
    const { engine, runScheduled } = batchingEngine();
    const product = await createTestProduct({ onHand: 10, salePriceCents: 5_000 });
    const initial = await snapshotStock();
    // The third customer cannot pay.
    const customers = await createFundedCustomers(4, (index) => (index === 2 ? 1_000 : 100_000));
    const sagaIds = await startCheckouts(engine, customers.map((customer) => customer.id), [product.slug]);
    await runScheduled(); // reserve-stock, together

    const paying = await runScheduled();

    expect(paying.map((result) => result.ok && result.outcome)).toEqual(["succeeded", "succeeded", "failed", "succeeded"]);
    const statuses = await statusesOf(sagaIds);
    expect(sagaIds.map((id) => statuses.get(id))).toEqual([
      "running complete-order",
      "running complete-order",
      "compensating reserve-stock",
      "running complete-order",
    ]);
    const short = await db.sagaInstance.findUniqueOrThrow({ where: { id: sagaIds[2] } });
    expect(short.failureReason).toBe("Your wallet was $40.00 short.");
    expect(await db.walletEntry.count({ where: { kind: "debit" } })).toBe(3);

    await runScheduled(); // three complete-orders and one release
    expect([...(await statusesOf(sagaIds)).values()].sort()).toEqual(["compensated", "completed", "completed", "completed"]);
    expect(await db.inventory.findUniqueOrThrow({ where: { productId: product.id } })).toMatchObject({ onHand: 7, reserved: 0 });
    expect((await checkInvariants(initial)).violations).toEqual([]);
  });

  it("takes a step with a test fault out of the batch, and the rest still commit together", async () => {
    const { engine, runScheduled } = batchingEngine();
    const product = await createTestProduct({ onHand: 10 });
    const customers = await createFundedCustomers(3, 1_000_000);
    const sagaIds = await startCheckouts(engine, customers.map((customer) => customer.id), [product.slug]);
    await failPermanently({ step: "reserve-stock", remaining: 1 });

    const results = await runScheduled();

    expect(results.map((result) => result.ok && result.outcome).sort()).toEqual(["failed", "succeeded", "succeeded"]);
    const reserved = sagaIds.filter((_, index) => results[index]?.ok && results[index].outcome === "succeeded");
    expect((await lastWritersOf(reserved)).size).toBe(1);
  });

  it("acts once on a saga delivered twice in the same batch", async () => {
    const { engine, scheduled } = batchingEngine();
    const product = await createTestProduct({ onHand: 10 });
    const customers = await createFundedCustomers(2, 1_000_000);
    await startCheckouts(engine, customers.map((customer) => customer.id), [product.slug]);
    const [first, second] = scheduled.splice(0);
    if (!first || !second) throw new Error("Both checkouts should have scheduled their first step");

    const results = await engine.runStepJobs([first, second, { ...first }]);

    expect(results.map((result) => result.ok && result.outcome)).toEqual(["succeeded", "succeeded", "skipped"]);
    expect(await db.reservation.count()).toBe(2);
    expect(await db.inventory.findUniqueOrThrow({ where: { productId: product.id } })).toMatchObject({ reserved: 2 });
    const attempts = await db.sagaStepExecution.findUniqueOrThrow({
      where: { sagaId_step_phase: { sagaId: first.sagaId, step: "reserve-stock", phase: "action" } },
    });
    expect(attempts).toMatchObject({ attempts: 2, status: "succeeded" });
  });

  it("never deadlocks with another batch that reserves the same products in the opposite order", async () => {
    const products = await Promise.all(Array.from({ length: 8 }, (_, n) => createTestProduct({ slug: `unicorn-${n}`, onHand: 100 })));
    const slugs = products.map((product) => product.slug);
    const customers = await createFundedCustomers(32, 1_000_000);
    for (let round = 0; round < 4; round += 1) {
      const one = batchingEngine();
      const other = batchingEngine();
      const ids = customers.map((customer) => customer.id);
      const oneIds = await startCheckouts(one.engine, ids.slice(0, 16), slugs);
      const otherIds = await startCheckouts(other.engine, ids.slice(16), [...slugs].reverse());

      const [oneResults, otherResults] = await Promise.all([one.runScheduled(), other.runScheduled()]);

      expect([...oneResults, ...otherResults].every((result) => result.ok && result.outcome === "succeeded")).toBe(true);
      // A deadlock would have rolled a batch back and run its steps one by one, each in a transaction of its own.
      expect((await lastWritersOf(oneIds)).size).toBe(1);
      expect((await lastWritersOf(otherIds)).size).toBe(1);
    }
    expect(await db.reservation.count()).toBe(128);
  });
});
