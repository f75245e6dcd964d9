import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

await vi.hoisted(async () => {
  const { useCheckoutTestTimings } = await import("@/server/testing/checkout-workers");
  useCheckoutTestTimings();
});

import { db } from "@/server/db";


import {
  fundedCustomer,
  openRawQueue,
  SAGA_STEP_QUEUE,
  sagaJobId,
  startAcceptedCheckout,
  stepExecution,
  waitForCheckout,
  waitUntil,
  type RawQueue,
} from "@/server/testing/checkout-flow";
import { checkInvariants, snapshotStock } from "@/server/testing/checkout-invariants";
import { describeLogs, startCheckoutWorkers, stopAllCheckoutWorkers, type CheckoutWorker } from "@/server/testing/checkout-workers";
import { createTestProduct, truncateShop } from "@/server/testing/database";
import { delayBefore, remainingOf } from "@/server/testing/saga-faults";
import { closeCheckoutSuite, openCheckoutSuite } from "@/server/testing/checkout-suite";

/**
 * Reservations last one or three seconds here (the workers' RESERVATION_TTL_SECONDS: the reservation step runs there).
 * A reservation holds the unicorns only so long: a checkout not paid by then is cancelled by the recovery sweep and
 * compensated, and the unicorns go back on sale. A payment that went through in time is never undone by the clock.
 */

const PRICE = 12_000;
const DEADLINE_REASON = "The checkout was not paid in time, so the reservation expired.";
let workers: CheckoutWorker[];
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

describe("a reservation that expires", () => {
  beforeAll(async () => {
    workers = await startCheckoutWorkers(1, { name: "expiry", env: { RESERVATION_TTL_SECONDS: "1" } });
  });
  afterAll(stopAllCheckoutWorkers);

  it("is compensated by the sweep when the payment does not come in time: stock back, nothing debited", { timeout: 60_000 }, async () => {
    const product = await createTestProduct({ onHand: 5, salePriceCents: PRICE });
    const initialStock = await snapshotStock();
    const ada = await fundedCustomer(50_000, "Ada");
    // The payment's first delivery waits far beyond the one-second reservation.
    const fault = await delayBefore({ step: "debit-wallet", remaining: 1, delayMs: 6_000 });

    const checkoutId = await startAcceptedCheckout(ada.client, { productSlug: product.slug });
    const status = await waitForCheckout(ada.client, checkoutId, { timeoutMs: 20_000 });

    expect(status.status, describeLogs(workers)).toBe("compensated");
    expect(status.failureReason).toBe(DEADLINE_REASON);
    expect(status.steps.map((step) => `${step.step}/${step.phase}: ${step.status}`)).toEqual([
      "reserve-stock/action: succeeded",
      "debit-wallet/action: skipped",
      "reserve-stock/compensation: succeeded",
    ]);
    const saga = await db.sagaInstance.findUniqueOrThrow({ where: { id: checkoutId } });
    const reservation = await db.reservation.findUniqueOrThrow({ where: { checkoutId } });
    expect(saga).toMatchObject({ failedStep: "debit-wallet", currentStep: null });
    // Cancelled after the deadline, while the payment was still waiting.
    expect(saga.finishedAt!.getTime()).toBeGreaterThanOrEqual(reservation.expiresAt.getTime());
    expect(reservation.status).toBe("released");
    expect(await db.inventory.findUniqueOrThrow({ where: { productId: product.id } })).toMatchObject({ onHand: 5, reserved: 0 });

    // The late payment delivery still runs to its end, and must stand down.
    expect(await remainingOf(fault)).toBe(0);
    await waitUntil(
      "the late payment delivery to finish",
      async () => (await sagaSteps.queue.getJob(sagaJobId(checkoutId, "debit-wallet"))) === undefined,
      { timeoutMs: 15_000 },
    );
    // Skipped, whatever the number of deliveries: on a starved machine the worker can miss renewing its (2 s, in
    // tests) job lock during the 6 s wait, and BullMQ hands the job out again; that delivery must stand down too.
    const latePayment = await stepExecution(checkoutId, "debit-wallet");
    expect(latePayment?.status).toBe("skipped");
    expect(latePayment?.attempts).toBeGreaterThanOrEqual(1);
    expect(await db.walletEntry.count({ where: { kind: "debit" } })).toBe(0);
    expect((await db.wallet.findUniqueOrThrow({ where: { customerId: ada.profile.id } })).balanceCents).toBe(50_000);
    expect(await db.order.count()).toBe(0);
    expect(await db.sagaInstance.findUniqueOrThrow({ where: { id: checkoutId } })).toMatchObject({ status: "compensated" });

    expect((await checkInvariants(initialStock)).violations).toEqual([]);
  });
});

describe("a reservation that was paid in time", () => {
  // Three seconds: room enough for a busy machine to get from the reservation to the payment.
  beforeAll(async () => {
    workers = await startCheckoutWorkers(1, { name: "paid-in-time", env: { RESERVATION_TTL_SECONDS: "3" } });
  });
  afterAll(stopAllCheckoutWorkers);

  it("never cancels a checkout once paid, however long the rest takes", { timeout: 60_000 }, async () => {
    const product = await createTestProduct({ onHand: 5, salePriceCents: PRICE });
    const initialStock = await snapshotStock();
    const ada = await fundedCustomer(50_000, "Ada");
    // Paid at once; then confirming the order waits past the reservation's expiry.
    await delayBefore({ step: "complete-order", remaining: 1, delayMs: 4_000 });

    const checkoutId = await startAcceptedCheckout(ada.client, { productSlug: product.slug });
    await waitUntil("the payment to commit", async () => (await stepExecution(checkoutId, "debit-wallet"))?.status === "succeeded");
    expect(await db.sagaInstance.findUniqueOrThrow({ where: { id: checkoutId } })).toMatchObject({ deadlineAt: null });
    const status = await waitForCheckout(ada.client, checkoutId, { timeoutMs: 20_000 });

    expect(status.status, describeLogs(workers)).toBe("completed");
    expect(status.failureReason).toBeUndefined();
    const reservation = await db.reservation.findUniqueOrThrow({ where: { checkoutId } });
    const order = await db.order.findUniqueOrThrow({ where: { checkoutId } });
    // Confirmed after the reservation's nominal expiry: the payment, not the clock, decided.
    expect(order.createdAt.getTime()).toBeGreaterThan(reservation.expiresAt.getTime());
    expect(reservation.status).toBe("sold");
    expect(await db.walletEntry.count({ where: { kind: "refund" } })).toBe(0);
    expect((await checkInvariants(initialStock)).violations).toEqual([]);
  });
});
