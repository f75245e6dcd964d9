import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

await vi.hoisted(async () => {
  const { useCheckoutTestTimings } = await import("@/server/testing/checkout-workers");
  useCheckoutTestTimings();
});

import { db } from "@/server/db";


import {
  createFundedCustomers,
  expectEveryEventPublished,
  startCheckout,
  waitForCheckout,
  waitForSagas,
} from "@/server/testing/checkout-flow";
import { checkInvariants, sampleInventory, snapshotStock, type InventorySample } from "@/server/testing/checkout-invariants";
import { describeLogs, logsAtLeast, startCheckoutWorkers, type CheckoutWorker } from "@/server/testing/checkout-workers";
import { createTestProduct, truncateShop } from "@/server/testing/database";
import { delayBefore, failPermanently, failTransiently } from "@/server/testing/saga-faults";
import { closeCheckoutSuite, openCheckoutSuite } from "@/server/testing/checkout-suite";

/**
 * Cyber Monday: many customers at once, two checkout worker processes side by side. Nothing is oversold, no money is
 * made or lost, and every checkout ends.
 */

let workers: CheckoutWorker[];

beforeAll(async () => {
  await openCheckoutSuite();
  workers = await startCheckoutWorkers(2, { name: "concurrency" });
});

afterAll(closeCheckoutSuite);

beforeEach(truncateShop);

describe("a flash sale", () => {
  it("sells exactly 5 unicorns to 200 customers buying at once, never going below zero", { timeout: 90_000 }, async () => {
    const product = await createTestProduct({ slug: "last-five-unicorn", onHand: 5, salePriceCents: 12_000 });
    const initialStock = await snapshotStock();
    const customers = await createFundedCustomers(200, 20_000);
    const sampler = await sampleInventory(product.id, 20);

    let responses: Awaited<ReturnType<typeof startCheckout>>[] = [];
    let samples: InventorySample[] = [];
    try {
      responses = await Promise.all(customers.map((customer) => startCheckout(customer.client, { productSlug: "last-five-unicorn" })));
      const started = responses.filter((response) => response.status === 200).map((response) => response.data().checkoutId);
      await waitForSagas(started, { timeoutMs: 60_000 });
    } finally {
      samples = await sampler.stop();
    }

    // Every answer is either a checkout or "sold out" (409), never anything else.
    const refused = responses.filter((response) => response.status !== 200);
    for (const response of refused) {
      expect(response.status, response.text).toBe(409);
      expect(response.error().data.domainCode).toBe("OUT_OF_STOCK");
      expect(response.error().message).toBe("Sorry, the Classic Unicorn is sold out.");
    }
    const accepted = responses.filter((response) => response.status === 200).map((response) => response.data().checkoutId);
    expect(accepted.length + refused.length).toBe(200);
    // The units are taken by the start itself: exactly five shoppers got a checkout, and no saga started in vain.
    expect(accepted.length).toBe(5);

    // Stock never went below zero, nor was more reserved than there was, at any moment sampled.
    expect(samples.length, "inventory samples taken during the run").toBeGreaterThan(10);
    const bad = samples.filter((sample) => sample.onHand < 0 || sample.reserved < 0 || sample.reserved > sample.onHand);
    expect(bad).toEqual([]);
    expect(Math.min(...samples.map((sample) => sample.onHand))).toBeGreaterThanOrEqual(0);

    expect(await db.order.count()).toBe(5);
    expect(await db.inventory.findUniqueOrThrow({ where: { productId: product.id } })).toMatchObject({ onHand: 0, reserved: 0 });
    expect(new Set((await db.order.findMany({ select: { customerId: true } })).map((order) => order.customerId)).size).toBe(5);

    const summary = await checkInvariants(initialStock);
    expect(summary.violations, describeLogs(workers)).toEqual([]);
    expect(summary).toMatchObject({ orders: 5, unitsSold: 5, debitedCents: 60_000, refundedCents: 0, orderTotalCents: 60_000 });
    expect(summary.sagas).toEqual({ completed: 5 });
    // Two relays (one per worker) published each PurchaseCompleted exactly once.
    expect(await expectEveryEventPublished()).toBe(5);

    // Both worker processes are still up, and neither complained.
    for (const worker of workers) expect(worker.isRunning(), `${worker.name} still running`).toBe(true);
    expect(logsAtLeast(workers, 40), describeLogs(workers)).toEqual([]);

    // What a winner and a loser see through the API.
    const winner = await db.order.findFirstOrThrow({ select: { customerId: true, checkoutId: true, id: true } });
    const winnerClient = customers.find((customer) => customer.id === winner.customerId)!.client;
    expect(await waitForCheckout(winnerClient, winner.checkoutId)).toMatchObject({ status: "completed", orderId: winner.id });
    expect((await winnerClient.query("orders.list")).data()).toEqual([expect.objectContaining({ id: winner.id })]);
  });

  it("keeps every invariant over 50 checkouts with faults, across two workers", { timeout: 90_000 }, async () => {
    const product = await createTestProduct({ slug: "busy-unicorn", onHand: 100, salePriceCents: 10_000, listPriceCents: 20_000 });
    const initialStock = await snapshotStock();
    // Every fifth customer cannot afford it.
    const customers = await createFundedCustomers(50, (index) => (index % 5 === 4 ? 5_000 : 30_000));
    const poor = new Set(customers.filter((_, index) => index % 5 === 4).map((customer) => customer.id));
    await failTransiently({ step: "debit-wallet", remaining: 8 });
    await failPermanently({ step: "complete-order", remaining: 4 });
    await failTransiently({ step: "debit-wallet", phase: "compensation", remaining: 2 });
    await delayBefore({ step: "reserve-stock", remaining: 10, delayMs: 300 });
    const sampler = await sampleInventory(product.id, 20);

    let responses: Awaited<ReturnType<typeof startCheckout>>[] = [];
    let samples: InventorySample[] = [];
    try {
      responses = await Promise.all(
        customers.map((customer, index) => startCheckout(customer.client, { productSlug: "busy-unicorn", quantity: (index % 2) + 1 })),
      );
      for (const response of responses) expect(response.status, response.text).toBe(200);
      await waitForSagas(
        responses.map((response) => response.data().checkoutId),
        { timeoutMs: 60_000 },
      );
    } finally {
      samples = await sampler.stop();
    }

    expect(samples.filter((sample) => sample.onHand < 0 || sample.reserved < 0 || sample.reserved > sample.onHand)).toEqual([]);
    const summary = await checkInvariants(initialStock);
    expect(summary.violations, describeLogs(workers)).toEqual([]);

    const sagas = await db.sagaInstance.findMany({ select: { id: true, status: true, failedStep: true, failureReason: true, input: true } });
    expect(sagas).toHaveLength(50);
    const customerOf = (saga: (typeof sagas)[number]) => (saga.input as { customerId: string }).customerId;
    // The poor never buy, and are told they were short.
    for (const saga of sagas.filter((candidate) => poor.has(customerOf(candidate)))) {
      expect(saga.status).toBe("compensated");
      expect(saga.failureReason).toMatch(/^Your wallet was \$\d+\.\d\d short\.$/);
    }
    // Exactly the sagas that failed at complete-order were refunded (the fault fired up to 4 times).
    const failedAfterPaying = sagas.filter((saga) => saga.failedStep === "complete-order");
    expect(failedAfterPaying.length).toBeGreaterThan(0);
    expect(failedAfterPaying.length).toBeLessThanOrEqual(4);
    expect(summary.refunds).toBe(failedAfterPaying.length);
    // 8 transient faults, 3 attempts each: at most 2 payments can have failed on every attempt.
    const gaveUp = sagas.filter((saga) => saga.failedStep === "debit-wallet" && saga.failureReason?.startsWith("debit-wallet kept failing"));
    expect(gaveUp.length).toBeLessThanOrEqual(2);
    // Every checkout that did not complete is accounted for by one of the failures above; everyone else bought.
    const short = sagas.filter((saga) => poor.has(customerOf(saga)));
    expect(short.length).toBe(10);
    expect(summary.sagas).toEqual({
      completed: 50 - short.length - failedAfterPaying.length - gaveUp.length,
      compensated: short.length + failedAfterPaying.length + gaveUp.length,
    });
    expect(summary.orders).toBe(summary.sagas.completed);
    expect(await expectEveryEventPublished()).toBe(summary.orders);
    const quantityOf = (saga: (typeof sagas)[number]) => (saga.input as { quantity: number }).quantity;
    expect(summary.unitsSold).toBe(sagas.filter((saga) => saga.status === "completed").reduce((sum, saga) => sum + quantityOf(saga), 0));
  });
});
