import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";

await vi.hoisted(async () => {
  const { useCheckoutTestTimings } = await import("@/server/testing/checkout-workers");
  useCheckoutTestTimings();
});

import { cancelWords, retryWords } from "@/app/admin/_lib/saga-action-words";
import { db } from "@/server/db";
import { fundedCustomer, obliterateCheckoutQueues, startAcceptedCheckout, waitForCheckout, waitForSagas } from "@/server/testing/checkout-flow";
import { closeCheckoutSuite, openCheckoutSuite } from "@/server/testing/checkout-suite";
import { startCheckoutWorker, stopAllCheckoutWorkers } from "@/server/testing/checkout-workers";
import { createTestProduct, signUpStaffMember } from "@/server/testing/database";
import { clearSagaFaults, failPermanently } from "@/server/testing/saga-faults";

beforeEach(openCheckoutSuite);
afterEach(stopAllCheckoutWorkers);
afterAll(closeCheckoutSuite);

/** The compensations that began after `since`, in the order they began: what the engine ran after an action. */
async function compensationsRunSince(sagaId: string, since: Date): Promise<string[]> {
  const runs = await db.sagaStepExecution.findMany({
    where: { sagaId, phase: "compensation", attemptStartedAt: { gte: since } },
    orderBy: { attemptStartedAt: "asc" },
    select: { step: true, status: true },
  });
  expect(runs.every((run) => run.status === "succeeded"), JSON.stringify(runs)).toBe(true);
  return runs.map((run) => run.step);
}

describe("what the saga detail says an action runs is what the engine then runs", () => {
  it("retry: the refund that gave up (not complete-order, whose action failed) runs again, then the release", { timeout: 60_000 }, async () => {
    const admin = await signUpStaffMember("admin");
    const product = await createTestProduct({ onHand: 5, salePriceCents: 4_000 });
    const shopper = await fundedCustomer(50_000, "Named");
    await startCheckoutWorker({ name: "plan-retry" });
    await failPermanently({ step: "complete-order" });
    await failPermanently({ step: "debit-wallet", phase: "compensation" });
    const sagaId = await startAcceptedCheckout(shopper.client, { productSlug: product.slug });
    expect((await waitForCheckout(shopper.client, sagaId)).status).toBe("needs_attention");

    const detail = (await admin.client.query("admin.sagas.get", { sagaId })).data();
    expect(detail.failedStep).toBe("complete-order");
    expect(detail.actionPlan?.retry).toEqual({ step: "debit-wallet", then: ["reserve-stock"] });
    const words = retryWords(detail.actionPlan!.retry!);
    expect(words).toBe("Undo debit-wallet: refund runs again, then Undo reserve-stock: release stock.");
    expect(words).not.toContain("complete-order");

    await clearSagaFaults();
    const actedAt = new Date();
    expect((await admin.client.mutate("admin.sagas.retryCompensation", { sagaId })).data().message).toBe(
      `Retrying the ${detail.actionPlan!.retry!.step} compensation.`,
    );
    await waitForSagas([sagaId]);
    expect((await db.sagaInstance.findUniqueOrThrow({ where: { id: sagaId } })).status).toBe("compensated");
    expect(await compensationsRunSince(sagaId, actedAt)).toEqual([detail.actionPlan!.retry!.step, ...detail.actionPlan!.retry!.then]);
    // The refund's record: its first attempt failed before the operator's retry; its own run time is its last attempt's.
    const refund = await db.sagaStepExecution.findFirstOrThrow({ where: { sagaId, step: "debit-wallet", phase: "compensation" } });
    expect(refund.attempts).toBe(2);
    expect(refund.attemptStartedAt!.getTime()).toBeGreaterThan(refund.startedAt.getTime());
    expect(refund.finishedAt!.getTime()).toBeGreaterThanOrEqual(refund.attemptStartedAt!.getTime());
  });

  it("cancel and redrive: the detail names the job a redrive enqueues and the compensations a cancel runs", { timeout: 60_000 }, async () => {
    const admin = await signUpStaffMember("admin");
    const product = await createTestProduct({ onHand: 5, salePriceCents: 4_000 });
    const shopper = await fundedCustomer(50_000, "Cancelled");
    // No worker: the saga waits at its first step; its job is then lost.
    const sagaId = await startAcceptedCheckout(shopper.client, { productSlug: product.slug });
    await obliterateCheckoutQueues();

    const detail = (await admin.client.query("admin.sagas.get", { sagaId })).data();
    expect(detail.actionPlan?.redrive).toEqual({ step: "reserve-stock", phase: "action" });
    expect(detail.actionPlan?.cancel).toEqual({ undoes: ["reserve-stock"] });
    expect(cancelWords(detail.actionPlan!.cancel!)).toBe("What it did so far is undone: Undo reserve-stock: release stock runs.");
    expect((await admin.client.mutate("admin.sagas.redrive", { sagaId })).data().message).toBe("Enqueued reserve-stock (action) again.");
    await obliterateCheckoutQueues();

    const actedAt = new Date();
    expect((await admin.client.mutate("admin.sagas.cancel", { sagaId })).data().done).toBe(true);
    await startCheckoutWorker({ name: "plan-cancel" });
    await waitForSagas([sagaId]);
    expect(await compensationsRunSince(sagaId, actedAt)).toEqual(detail.actionPlan!.cancel!.undoes);
    const after = (await admin.client.query("admin.sagas.get", { sagaId })).data();
    expect(after.actionPlan).toEqual({ retry: null, redrive: null, cancel: null });
  });
});
