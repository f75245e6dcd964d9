import { randomUUID } from "node:crypto";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { projectionLags } from "@/server/loyalty/projections/projection-checkpoints";
import { enqueue } from "@/server/queues/define-queue";
import { loyaltyMaintenanceQueue, REBUILD_PROJECTIONS_JOB_ID } from "@/server/queues/loyalty-maintenance-queue";
import { purchaseEventsQueue } from "@/server/queues/purchase-events-queue";
import { sql, sqlPool } from "@/server/sql";
import { waitUntil } from "@/server/testing/checkout-flow";
import { closeCheckoutSuite, openCheckoutSuite } from "@/server/testing/checkout-suite";
import { startLoyaltyWorker } from "@/server/testing/checkout-workers";
import { purchaseCompleted, saveSeededRules } from "@/server/testing/loyalty-fixtures";
import { readModelsInTables, readWholeLog, replayReadModels } from "@/server/testing/loyalty-replay";

/** The loyalty worker process, started as production starts it, fed through the purchase-events queue. */

const WORKER_ENV = { LOYALTY_PROJECTION_INTERVAL_MS: "50", LOYALTY_WORKER_CONCURRENCY: "8" };

async function countEvents(): Promise<number> {
  const [row] = await sqlPool.rows<{ count: number }>(sql`SELECT count(*)::int AS count FROM loyalty_point_events`);
  return row?.count ?? 0;
}

async function balancesTableOid(): Promise<number> {
  const [row] = await sqlPool.rows<{ oid: number }>(sql`SELECT 'loyalty_balances'::regclass::oid::int AS oid`);
  return row!.oid;
}

async function caughtUp(): Promise<boolean> {
  return (await projectionLags(sqlPool)).every((lag) => lag.pendingEvents === 0);
}

beforeEach(async () => {
  await openCheckoutSuite();
  await saveSeededRules();
});
afterAll(closeCheckoutSuite);

describe("the loyalty worker", () => {
  it("awards a PurchaseCompleted published three times (three jobs) once", { timeout: 60_000 }, async () => {
    await startLoyaltyWorker({ env: WORKER_ENV });
    const customerId = randomUUID();
    const purchase = purchaseCompleted({ customerId });

    for (const copy of ["a", "b", "c"]) {
      await enqueue(purchaseEventsQueue, "purchase-completed", purchase, { jobId: `${purchase.eventId}-${copy}` });
    }

    await waitUntil("the three deliveries to be handled and projected", async () => {
      const [processed] = await sqlPool.rows<{ count: number }>(sql`
        SELECT count(*)::int AS count FROM loyalty_processed_messages WHERE message_id = ${purchase.eventId}`);
      return processed!.count === 1 && (await caughtUp());
    });
    // Give any duplicate time to show before counting.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await countEvents()).toBe(1);
    expect((await readModelsInTables()).balances[customerId]).toEqual({ availablePoints: 100, lastVersion: 1 });
  });

  it("killed with kill -9 mid-batch: after a restart every purchase counts once and the projections equal a replay", { timeout: 90_000 }, async () => {
    const customers = Array.from({ length: 40 }, () => randomUUID());
    const purchases = customers.flatMap((customerId) => Array.from({ length: 10 }, () => purchaseCompleted({ customerId })));
    const first = await startLoyaltyWorker({ name: "loyalty-doomed", env: WORKER_ENV });

    for (const purchase of purchases) {
      await enqueue(purchaseEventsQueue, "purchase-completed", purchase, { jobId: purchase.eventId });
    }
    await waitUntil("a fifth of the purchases to be awarded", async () => (await countEvents()) >= purchases.length / 5);
    await first.crash();
    const appendedAtCrash = await countEvents();
    expect(appendedAtCrash).toBeLessThan(purchases.length);

    await startLoyaltyWorker({ name: "loyalty-successor", env: WORKER_ENV });
    await waitUntil(
      "every purchase to be awarded and projected",
      async () => (await countEvents()) === purchases.length && (await caughtUp()),
      { timeoutMs: 60_000 },
    );

    const models = await readModelsInTables();
    expect(models).toEqual(replayReadModels(await readWholeLog()));
    for (const customerId of customers) expect(models.balances[customerId]).toEqual({ availablePoints: 1_000, lastVersion: 10 });
  });

  it("rebuilds the projections when an operator asks, and carries on projecting afterwards", { timeout: 60_000 }, async () => {
    await startLoyaltyWorker({ name: "loyalty-rebuilder", env: WORKER_ENV });
    const customerId = randomUUID();
    const before = purchaseCompleted({ customerId });
    await enqueue(purchaseEventsQueue, "purchase-completed", before, { jobId: before.eventId });
    await waitUntil("the first purchase to be projected", async () => (await countEvents()) === 1 && (await caughtUp()));

    const tableBefore = await balancesTableOid();
    await enqueue(loyaltyMaintenanceQueue, "rebuild-projections", { requestedBy: "test" }, { jobId: REBUILD_PROJECTIONS_JOB_ID });
    // A rebuild swaps in new tables: the balances table is another table afterwards.
    await waitUntil("the rebuild to swap in new tables", async () => (await balancesTableOid()) !== tableBefore, { timeoutMs: 30_000 });
    const after = purchaseCompleted({ customerId });
    await enqueue(purchaseEventsQueue, "purchase-completed", after, { jobId: after.eventId });
    await waitUntil("the second purchase to be projected", async () => (await countEvents()) === 2 && (await caughtUp()));

    const models = await readModelsInTables();
    expect(models).toEqual(replayReadModels(await readWholeLog()));
    expect(models.balances[customerId]).toEqual({ availablePoints: 200, lastVersion: 2 });
  });
});
