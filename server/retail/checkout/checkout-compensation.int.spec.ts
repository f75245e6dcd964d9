import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

await vi.hoisted(async () => {
  const { useCheckoutTestTimings } = await import("@/server/testing/checkout-workers");
  useCheckoutTestTimings();
});

import { db } from "@/server/db";


import {
  fundedCustomer,
  startAcceptedCheckout,
  stepExecution,
  stepExecutions,
  waitForCheckout,
} from "@/server/testing/checkout-flow";
import { checkInvariants, snapshotStock } from "@/server/testing/checkout-invariants";
import { describeLogs, startCheckoutWorkers, type CheckoutWorker } from "@/server/testing/checkout-workers";
import { createTestProduct, truncateShop } from "@/server/testing/database";
import { delayAfterCommit, failPermanently, failTransiently, remainingOf } from "@/server/testing/saga-faults";
import { closeCheckoutSuite, openCheckoutSuite } from "@/server/testing/checkout-suite";

/**
 * Checkouts that go wrong: a business failure (short balance), a step that fails for good after the payment, a step
 * that fails a few times and then works, and a compensation that cannot be carried out. Real worker processes, real
 * PostgreSQL and Redis; the failures are injected through saga_faults, which the workers read in test mode.
 */

let workers: CheckoutWorker[];

beforeAll(async () => {
  await openCheckoutSuite();
  workers = await startCheckoutWorkers(1, { name: "compensation" });
});

afterAll(closeCheckoutSuite);

beforeEach(truncateShop);

const stepSummary = (steps: { step: string; phase: string; status: string }[]) =>
  steps.map((step) => `${step.step}/${step.phase}: ${step.status}`);

async function walletOf(customerId: string) {
  return db.wallet.findUniqueOrThrow({
    where: { customerId },
    select: {
      balanceCents: true,
      entries: { orderBy: [{ createdAt: "asc" }], select: { kind: true, amountCents: true, idempotencyKey: true, createdAt: true } },
    },
  });
}

describe("a checkout that cannot be paid", () => {
  it("is compensated when the wallet is short, saying by how much, and puts the unicorn back", async () => {
    const product = await createTestProduct({ onHand: 5, salePriceCents: 12_000 });
    const initialStock = await snapshotStock();
    const ada = await fundedCustomer(9_000, "Ada");

    const checkoutId = await startAcceptedCheckout(ada.client, { productSlug: product.slug });
    const status = await waitForCheckout(ada.client, checkoutId);

    expect(status.status, describeLogs(workers)).toBe("compensated");
    expect(status.failureReason).toBe("Your wallet was $30.00 short.");
    expect(status.orderId).toBeUndefined();
    expect(stepSummary(status.steps)).toEqual([
      "reserve-stock/action: succeeded",
      "debit-wallet/action: failed",
      "reserve-stock/compensation: succeeded",
    ]);
    // A business failure is not retried.
    expect(status.steps.find((step) => step.step === "debit-wallet")).toMatchObject({ attempts: 1, error: "Your wallet was $30.00 short." });

    expect(await db.inventory.findUniqueOrThrow({ where: { productId: product.id } })).toMatchObject({ onHand: 5, reserved: 0 });
    expect(await db.reservation.findUniqueOrThrow({ where: { checkoutId } })).toMatchObject({ status: "released" });
    const wallet = await walletOf(ada.profile.id);
    expect(wallet.balanceCents).toBe(9_000);
    expect(wallet.entries.map((entry) => entry.kind)).toEqual(["deposit"]);
    expect(await db.order.count()).toBe(0);
    expect(await db.outboxMessage.count()).toBe(0);
    expect((await ada.client.query("orders.list")).data()).toEqual([]);
    expect(await db.sagaInstance.findUniqueOrThrow({ where: { id: checkoutId } })).toMatchObject({
      status: "compensated",
      failedStep: "debit-wallet",
      currentStep: null,
      finishedAt: expect.any(Date),
    });

    expect((await checkInvariants(initialStock)).violations).toEqual([]);
  });
});

describe("a checkout whose last step fails for good", () => {
  it("refunds, then releases the reservation, in that order, and records both", async () => {
    const product = await createTestProduct({ onHand: 5, salePriceCents: 12_000 });
    const initialStock = await snapshotStock();
    const ada = await fundedCustomer(50_000, "Ada");
    await failPermanently({ step: "complete-order" });
    // Holds the refund's job open a moment after it commits: had the release run first, or alongside, the times
    // below would show it.
    await delayAfterCommit({ step: "debit-wallet", phase: "compensation", delayMs: 300 });

    const checkoutId = await startAcceptedCheckout(ada.client, { productSlug: product.slug });
    const status = await waitForCheckout(ada.client, checkoutId);

    expect(status.status, describeLogs(workers)).toBe("compensated");
    expect(status.failureReason).toBe("Fault injected at complete-order (test/demo mode)");
    expect(status.orderId).toBeUndefined();
    expect(stepSummary(status.steps)).toEqual([
      "reserve-stock/action: succeeded",
      "debit-wallet/action: succeeded",
      "complete-order/action: failed",
      "debit-wallet/compensation: succeeded",
      "reserve-stock/compensation: succeeded",
    ]);
    // An injected permanent failure is not retried.
    expect(status.steps.find((step) => step.step === "complete-order")?.attempts).toBe(1);

    const refund = await stepExecution(checkoutId, "debit-wallet", "compensation");
    const release = await stepExecution(checkoutId, "reserve-stock", "compensation");
    const failed = await stepExecution(checkoutId, "complete-order", "action");
    expect(refund?.finishedAt).toBeInstanceOf(Date);
    expect(release?.finishedAt).toBeInstanceOf(Date);
    expect(failed!.finishedAt!.getTime()).toBeLessThanOrEqual(refund!.startedAt.getTime());
    // The release began only after the refund had finished (and its 300 ms hold had passed).
    expect(release!.startedAt.getTime()).toBeGreaterThanOrEqual(refund!.finishedAt!.getTime() + 250);

    // Money back, once; the ledger shows debit then refund.
    const wallet = await walletOf(ada.profile.id);
    expect(wallet.balanceCents).toBe(50_000);
    expect(wallet.entries.map((entry) => [entry.kind, entry.amountCents, entry.idempotencyKey])).toEqual([
      ["deposit", 50_000, `top-up:${ada.profile.id}:opening-balance`],
      ["debit", -12_000, `saga:${checkoutId}:debit`],
      ["refund", 12_000, `saga:${checkoutId}:refund`],
    ]);
    // Stock back, after the refund.
    expect(await db.inventory.findUniqueOrThrow({ where: { productId: product.id } })).toMatchObject({ onHand: 5, reserved: 0 });
    const reservation = await db.reservation.findUniqueOrThrow({ where: { checkoutId } });
    expect(reservation.status).toBe("released");
    expect(reservation.updatedAt.getTime()).toBeGreaterThan(wallet.entries[2]!.createdAt.getTime());
    expect(await db.order.count()).toBe(0);
    expect(await db.outboxMessage.count()).toBe(0);

    expect((await checkInvariants(initialStock)).violations).toEqual([]);
  });

  it("needs attention, with the stock still held, when the release itself fails for good", async () => {
    const product = await createTestProduct({ onHand: 5, salePriceCents: 12_000 });
    const initialStock = await snapshotStock();
    const ada = await fundedCustomer(50_000, "Ada");
    await failPermanently({ step: "complete-order" });
    await failPermanently({ step: "reserve-stock", phase: "compensation" });

    const checkoutId = await startAcceptedCheckout(ada.client, { productSlug: product.slug });
    const status = await waitForCheckout(ada.client, checkoutId);

    expect(status.status, describeLogs(workers)).toBe("needs_attention");
    // The customer is told why the purchase failed, not about the operator's problem.
    expect(status.failureReason).toBe("Fault injected at complete-order (test/demo mode)");
    expect(stepSummary(status.steps)).toEqual([
      "reserve-stock/action: succeeded",
      "debit-wallet/action: succeeded",
      "complete-order/action: failed",
      "debit-wallet/compensation: succeeded",
      "reserve-stock/compensation: failed",
    ]);
    expect(await db.sagaInstance.findUniqueOrThrow({ where: { id: checkoutId } })).toMatchObject({
      status: "needs_attention",
      currentStep: "reserve-stock",
      nextJobDueAt: null,
    });
    // The money went back; the unit stays reserved (not sold, not lost) until an operator acts.
    expect((await walletOf(ada.profile.id)).balanceCents).toBe(50_000);
    expect(await db.inventory.findUniqueOrThrow({ where: { productId: product.id } })).toMatchObject({ onHand: 5, reserved: 1 });
    expect(await db.reservation.findUniqueOrThrow({ where: { checkoutId } })).toMatchObject({ status: "held" });

    const summary = await checkInvariants(initialStock, { allowNeedsAttention: true });
    expect(summary.violations).toEqual([]);
    expect(summary.sagas).toEqual({ needs_attention: 1 });
  });
});

describe("a checkout whose step fails for a moment", () => {
  it("retries the payment until it works, and debits exactly once", async () => {
    const product = await createTestProduct({ onHand: 5, salePriceCents: 12_000 });
    const initialStock = await snapshotStock();
    const ada = await fundedCustomer(50_000, "Ada");
    const fault = await failTransiently({ step: "debit-wallet", remaining: 2 });

    const checkoutId = await startAcceptedCheckout(ada.client, { productSlug: product.slug });
    const status = await waitForCheckout(ada.client, checkoutId);

    expect(status.status, describeLogs(workers)).toBe("completed");
    expect(status.failureReason).toBeUndefined();
    expect(status.steps.find((step) => step.step === "debit-wallet" && step.phase === "action")).toMatchObject({
      status: "succeeded",
      attempts: 3,
    });
    expect(stepSummary(status.steps)).toEqual([
      "reserve-stock/action: succeeded",
      "debit-wallet/action: succeeded",
      "complete-order/action: succeeded",
    ]);
    expect(await remainingOf(fault)).toBe(0);

    const wallet = await walletOf(ada.profile.id);
    expect(wallet.balanceCents).toBe(38_000);
    expect(wallet.entries.filter((entry) => entry.kind === "debit")).toEqual([
      expect.objectContaining({ amountCents: -12_000, idempotencyKey: `saga:${checkoutId}:debit` }),
    ]);
    expect(await db.inventory.findUniqueOrThrow({ where: { productId: product.id } })).toMatchObject({ onHand: 4, reserved: 0 });
    expect(await db.order.count({ where: { checkoutId } })).toBe(1);

    expect((await checkInvariants(initialStock)).violations).toEqual([]);
  });

  it("compensates once the payment has failed on every attempt, and says so", async () => {
    const product = await createTestProduct({ onHand: 5, salePriceCents: 12_000 });
    const initialStock = await snapshotStock();
    const ada = await fundedCustomer(50_000, "Ada");
    await failTransiently({ step: "debit-wallet", remaining: 3 });

    const checkoutId = await startAcceptedCheckout(ada.client, { productSlug: product.slug });
    const status = await waitForCheckout(ada.client, checkoutId);

    expect(status.status, describeLogs(workers)).toBe("compensated");
    expect(status.failureReason).toBe(
      "debit-wallet kept failing after 3 attempts: Transient fault injected at debit-wallet (test/demo mode)",
    );
    expect(status.steps.find((step) => step.step === "debit-wallet")).toMatchObject({ status: "failed", attempts: 3 });
    expect((await walletOf(ada.profile.id)).balanceCents).toBe(50_000);
    expect(await db.inventory.findUniqueOrThrow({ where: { productId: product.id } })).toMatchObject({ onHand: 5, reserved: 0 });

    expect((await checkInvariants(initialStock)).violations).toEqual([]);
  });

  it("retries a refund that fails for a moment until the money is back", async () => {
    const product = await createTestProduct({ onHand: 5, salePriceCents: 12_000 });
    const initialStock = await snapshotStock();
    const ada = await fundedCustomer(50_000, "Ada");
    await failPermanently({ step: "complete-order" });
    await failTransiently({ step: "debit-wallet", phase: "compensation", remaining: 2 });

    const checkoutId = await startAcceptedCheckout(ada.client, { productSlug: product.slug });
    const status = await waitForCheckout(ada.client, checkoutId);

    expect(status.status, describeLogs(workers)).toBe("compensated");
    expect(status.steps.find((step) => step.step === "debit-wallet" && step.phase === "compensation")).toMatchObject({
      status: "succeeded",
      attempts: 3,
    });
    const wallet = await walletOf(ada.profile.id);
    expect(wallet.balanceCents).toBe(50_000);
    expect(wallet.entries.filter((entry) => entry.kind === "refund")).toHaveLength(1);

    expect((await checkInvariants(initialStock)).violations).toEqual([]);
    expect(await stepExecutions(checkoutId)).toHaveLength(5);
  });
});
