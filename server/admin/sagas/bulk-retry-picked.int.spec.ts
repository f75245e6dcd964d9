import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";

await vi.hoisted(async () => {
  const { useCheckoutTestTimings } = await import("@/server/testing/checkout-workers");
  useCheckoutTestTimings();
});

import { db } from "@/server/db";
import { createApiClient } from "@/server/testing/api-client";
import { fundedCustomer, startAcceptedCheckout, waitForCheckout, waitForSagas } from "@/server/testing/checkout-flow";
import { closeCheckoutSuite, openCheckoutSuite } from "@/server/testing/checkout-suite";
import { startCheckoutWorker, stopAllCheckoutWorkers } from "@/server/testing/checkout-workers";
import { createTestProduct, signUpStaffMember, signUpTestCustomer } from "@/server/testing/database";
import { clearSagaFaults, failPermanently } from "@/server/testing/saga-faults";

beforeEach(openCheckoutSuite);
afterEach(stopAllCheckoutWorkers);
afterAll(closeCheckoutSuite);

/** Two sagas whose release of stock gave up (they need attention), and one that completed. */
async function arrange() {
  const product = await createTestProduct({ onHand: 10, salePriceCents: 2_000 });
  const shopper = await fundedCustomer(50_000, "Bulk");
  await startCheckoutWorker({ name: "bulk-picked" });
  await failPermanently({ step: "complete-order" });
  await failPermanently({ step: "reserve-stock", phase: "compensation" });
  const stuck = [
    await startAcceptedCheckout(shopper.client, { productSlug: product.slug }),
    await startAcceptedCheckout(shopper.client, { productSlug: product.slug }),
  ];
  for (const sagaId of stuck) expect((await waitForCheckout(shopper.client, sagaId)).status).toBe("needs_attention");
  await clearSagaFaults();
  const completed = await startAcceptedCheckout(shopper.client, { productSlug: product.slug });
  expect((await waitForCheckout(shopper.client, completed)).status).toBe("completed");
  return { product, stuck, completed };
}

const auditOf = (targetId: string) => db.adminAuditEntry.findMany({ where: { targetId }, select: { action: true, outcome: true } });

describe("admin.sagas.bulkRetry of picked sagas", () => {
  it("refuses anyone but an admin, and input that is not a list of 1 to 100 saga ids or that names a filter too", async () => {
    const sagaIds = [randomUUID()];
    const support = await signUpStaffMember("support");
    const customer = await signUpTestCustomer();
    const admin = await signUpStaffMember("admin");

    expect((await createApiClient().mutate("admin.sagas.bulkRetry", { sagaIds })).status).toBe(401);
    expect((await customer.client.mutate("admin.sagas.bulkRetry", { sagaIds })).status).toBe(403);
    const bySupport = await support.client.mutate("admin.sagas.bulkRetry", { sagaIds });
    expect(bySupport.status).toBe(403);
    expect(bySupport.error().message).toMatch(/can look but not act/);
    // The count the dialog shows: staff may look, customers may not.
    expect((await customer.client.query("admin.sagas.bulkRetryCount", { filter: {} })).status).toBe(403);
    expect((await support.client.query("admin.sagas.bulkRetryCount", { filter: {} })).data()).toEqual({ matching: 0, capped: false });

    const refusals: [unknown, RegExp][] = [
      [{ sagaIds: [] }, /Pick at least one saga/],
      [{ sagaIds: Array.from({ length: 101 }, () => randomUUID()) }, /at most 100 sagas/],
      [{ sagaIds: ["8a1b2c3d"] }, /must be a saga id/],
      [{ sagaIds, filter: {} }, /either the picked sagas or all matching the filter, not both/],
    ];
    for (const [input, message] of refusals) {
      const answer = await admin.client.mutate("admin.sagas.bulkRetry", input);
      expect(answer.status, JSON.stringify(input).slice(0, 80)).toBe(400);
      expect(answer.error().message).toMatch(message);
    }
    expect(await db.adminAuditEntry.count()).toBe(0);
  });

  it("retries exactly the picked sagas, names the ones it could not retry and why, audits each, and a second request changes nothing", { timeout: 90_000 }, async () => {
    const admin = await signUpStaffMember("admin");
    const { product, stuck, completed } = await arrange();
    const unknown = randomUUID();
    // A third saga needing attention that is NOT picked: it must stay as it is.
    await failPermanently({ step: "complete-order" });
    await failPermanently({ step: "reserve-stock", phase: "compensation" });
    const shopper = await fundedCustomer(50_000, "Not picked");
    const notPicked = await startAcceptedCheckout(shopper.client, { productSlug: product.slug });
    expect((await waitForCheckout(shopper.client, notPicked)).status).toBe("needs_attention");
    await clearSagaFaults();
    expect((await admin.client.query("admin.sagas.bulkRetryCount", { filter: {} })).data()).toEqual({ matching: 3, capped: false });

    const picked = [...stuck, completed, unknown];
    const first = (await admin.client.mutate("admin.sagas.bulkRetry", { sagaIds: picked })).data();
    await waitForSagas(stuck);

    expect(first).toEqual({
      matched: 4,
      retried: 2,
      skipped: [
        { sagaId: completed, reason: "The saga is completed: it has no failed compensation to retry." },
        { sagaId: unknown, reason: "There is no such saga." },
      ],
    });
    for (const sagaId of stuck) {
      expect((await db.sagaInstance.findUniqueOrThrow({ where: { id: sagaId } })).status).toBe("compensated");
      expect(await auditOf(sagaId)).toEqual([{ action: "retry-compensation", outcome: "Retrying the reserve-stock compensation." }]);
    }
    expect((await db.sagaInstance.findUniqueOrThrow({ where: { id: notPicked } })).status).toBe("needs_attention");
    expect(await auditOf(notPicked)).toEqual([]);
    expect(await auditOf(unknown)).toEqual([]);
    expect(await auditOf(completed)).toEqual([
      { action: "retry-compensation", outcome: "The saga is completed: it has no failed compensation to retry." },
    ]);
    const bulk = await db.adminAuditEntry.findMany({ where: { action: "bulk-retry" }, select: { outcome: true, details: true, actorEmail: true } });
    expect(bulk).toEqual([{ outcome: "Retried 2 of 4 picked sagas.", details: { sagaIds: picked, skipped: first.skipped }, actorEmail: admin.email }]);
    // What the two undid: their units are back on sale (the completed one keeps its unicorn).
    expect(await db.inventory.findUniqueOrThrow({ where: { productId: product.id } })).toMatchObject({ onHand: 9, reserved: 1 });

    const before = await db.sagaInstance.findMany({ where: { id: { in: picked } }, orderBy: { id: "asc" } });
    const again = (await admin.client.mutate("admin.sagas.bulkRetry", { sagaIds: picked })).data();
    expect(again.retried).toBe(0);
    expect(again.skipped.map((skip) => skip.reason)).toEqual([
      "The saga is compensated: it has no failed compensation to retry.",
      "The saga is compensated: it has no failed compensation to retry.",
      "The saga is completed: it has no failed compensation to retry.",
      "There is no such saga.",
    ]);
    expect(await db.sagaInstance.findMany({ where: { id: { in: picked } }, orderBy: { id: "asc" } })).toEqual(before);
    expect(await db.adminAuditEntry.count({ where: { action: "bulk-retry" } })).toBe(2);
    expect(await db.inventory.findUniqueOrThrow({ where: { productId: product.id } })).toMatchObject({ onHand: 9, reserved: 1 });
  });

  it("keeps the filter contract: {filter} (or nothing) retries every saga needing attention that matches", { timeout: 90_000 }, async () => {
    const admin = await signUpStaffMember("admin");
    const { stuck } = await arrange();
    const result = (await admin.client.mutate("admin.sagas.bulkRetry", {})).data();
    expect(result).toEqual({ matched: 2, retried: 2, skipped: [] });
    await waitForSagas(stuck);
    const again = (await admin.client.mutate("admin.sagas.bulkRetry", { filter: {} })).data();
    expect(again).toEqual({ matched: 0, retried: 0, skipped: [] });
    expect(await db.adminAuditEntry.findMany({ where: { action: "bulk-retry" }, select: { outcome: true }, orderBy: { createdAt: "asc" } })).toEqual([
      { outcome: "Retried 2 of 2 sagas needing attention." },
      { outcome: "Retried 0 of 0 sagas needing attention." },
    ]);
  });
});
