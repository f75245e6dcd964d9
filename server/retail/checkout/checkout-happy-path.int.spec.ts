import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

await vi.hoisted(async () => {
  const { useCheckoutTestTimings } = await import("@/server/testing/checkout-workers");
  useCheckoutTestTimings();
});

import { db } from "@/server/db";


import { purchaseCompletedSchema } from "@/server/retail/checkout/purchase-completed";
import {
  fundedCustomer,
  openRawQueue,
  PURCHASE_EVENTS_QUEUE,
  startAcceptedCheckout,
  waitForCheckout,
  waitUntil,
} from "@/server/testing/checkout-flow";
import { checkInvariants, snapshotStock } from "@/server/testing/checkout-invariants";
import {
  describeLogs,
  logsAtLeast,
  startCheckoutWorkers,
  type CheckoutWorker,
} from "@/server/testing/checkout-workers";
import { createTestProduct, truncateShop } from "@/server/testing/database";
import { closeCheckoutSuite, openCheckoutSuite } from "@/server/testing/checkout-suite";

/**
 * A checkout that goes right, end to end: started through the API, run by real checkout worker processes, confirmed
 * in PostgreSQL, and its PurchaseCompleted event relayed from the outbox to the purchase-events queue.
 */

let workers: CheckoutWorker[];

beforeAll(async () => {
  await openCheckoutSuite();
  workers = await startCheckoutWorkers(1, { name: "happy-path" });
});

afterAll(closeCheckoutSuite);

beforeEach(truncateShop);

afterEach(() => {
  // Nothing went wrong, so no worker had anything to complain about.
  expect(logsAtLeast(workers, 40), describeLogs(workers)).toEqual([]);
});

describe("a checkout that goes right", () => {
  it("confirms the order, takes one unicorn from stock, debits the wallet once and publishes PurchaseCompleted", async () => {
    const product = await createTestProduct({ slug: "classic-unicorn", onHand: 5, salePriceCents: 12_000 });
    const initialStock = await snapshotStock();
    const ada = await fundedCustomer(50_000, "Ada");

    const checkoutId = await startAcceptedCheckout(ada.client, { productSlug: "classic-unicorn", quantity: 1 });
    const status = await waitForCheckout(ada.client, checkoutId);

    expect(status, describeLogs(workers)).toMatchObject({
      checkoutId,
      status: "completed",
      productName: "Classic Unicorn",
      quantity: 1,
      amountCents: 12_000,
      orderId: expect.any(String),
    });
    expect(status.failureReason).toBeUndefined();
    expect(status.steps.map((step) => [step.step, step.phase, step.status, step.attempts])).toEqual([
      ["reserve-stock", "action", "succeeded", 1],
      ["debit-wallet", "action", "succeeded", 1],
      ["complete-order", "action", "succeeded", 1],
    ]);
    const orderId = status.orderId!;

    // Stock: one unit sold, none left reserved.
    expect(await db.inventory.findUniqueOrThrow({ where: { productId: product.id } })).toMatchObject({ onHand: 4, reserved: 0 });
    expect(await db.reservation.findUniqueOrThrow({ where: { checkoutId } })).toMatchObject({ status: "sold", quantity: 1 });

    // The order, as stored and as the customer sees it.
    expect(await db.order.findUniqueOrThrow({ where: { checkoutId } })).toMatchObject({
      id: orderId,
      customerId: ada.profile.id,
      productId: product.id,
      productName: "Classic Unicorn",
      quantity: 1,
      unitPriceCents: 12_000,
      totalCents: 12_000,
    });
    const listed = await ada.client.query("orders.list");
    expect(listed.status).toBe(200);
    expect(listed.data()).toEqual([
      expect.objectContaining({ id: orderId, productSlug: "classic-unicorn", quantity: 1, totalCents: 12_000 }),
    ]);
    const fetched = await ada.client.query("orders.get", { orderId });
    expect(fetched.status).toBe(200);
    expect(fetched.data()).toMatchObject({ id: orderId, productName: "Classic Unicorn", unitPriceCents: 12_000, totalCents: 12_000 });

    // Money: exactly one debit, under the saga's key.
    const wallet = await db.wallet.findUniqueOrThrow({
      where: { customerId: ada.profile.id },
      select: { balanceCents: true, entries: { orderBy: { balanceAfterCents: "desc" } } },
    });
    expect(wallet.balanceCents).toBe(38_000);
    expect(wallet.entries.map((entry) => [entry.kind, entry.amountCents, entry.balanceAfterCents, entry.idempotencyKey])).toEqual([
      ["deposit", 50_000, 50_000, `top-up:${ada.profile.id}:opening-balance`],
      ["debit", -12_000, 38_000, `saga:${checkoutId}:debit`],
    ]);
    const walletView = await ada.client.query("wallet.get");
    expect(walletView.data().balanceCents).toBe(38_000);

    // The outbox holds exactly one PurchaseCompleted, describing this purchase.
    const outbox = await db.outboxMessage.findMany();
    expect(outbox).toHaveLength(1);
    const message = outbox[0]!;
    expect(message.eventType).toBe("PurchaseCompleted");
    const event = purchaseCompletedSchema.parse(message.payload);
    expect(event).toEqual({
      eventId: message.id,
      type: "PurchaseCompleted",
      orderId,
      checkoutId,
      customerId: ada.profile.id,
      amountCents: 12_000,
      items: [{ productId: product.id, name: "Classic Unicorn", quantity: 1, unitPriceCents: 12_000 }],
      occurredAt: expect.any(String),
    });

    // Within a couple of seconds the relay publishes it: marked published, and a job under the event id.
    const published = await waitUntil(
      "the outbox relay to mark the event published",
      async () => (await db.outboxMessage.findUniqueOrThrow({ where: { id: message.id } })).publishedAt ?? undefined,
      { timeoutMs: 3_000 },
    );
    expect(published).toBeInstanceOf(Date);
    const events = openRawQueue(PURCHASE_EVENTS_QUEUE);
    try {
      const job = await events.queue.getJob(message.id);
      expect(job, "a purchase-events job with the event id").toBeDefined();
      expect(job!.name).toBe("purchase-completed");
      expect(job!.data).toEqual(event);
      expect(await events.queue.getJobCounts("waiting", "active", "delayed", "completed", "failed")).toMatchObject({ waiting: 1 });
    } finally {
      await events.close();
    }

    expect((await checkInvariants(initialStock)).violations).toEqual([]);
  });

  it("buys several unicorns in one checkout at the price of the day", async () => {
    const product = await createTestProduct({ slug: "rainbow-unicorn", onHand: 5, salePriceCents: 9_900, listPriceCents: 15_000 });
    const initialStock = await snapshotStock();
    const grace = await fundedCustomer(30_000, "Grace");

    const checkoutId = await startAcceptedCheckout(grace.client, { productSlug: "rainbow-unicorn", quantity: 3 });
    const status = await waitForCheckout(grace.client, checkoutId);

    expect(status, describeLogs(workers)).toMatchObject({ status: "completed", quantity: 3, amountCents: 29_700 });
    expect(await db.inventory.findUniqueOrThrow({ where: { productId: product.id } })).toMatchObject({ onHand: 2, reserved: 0 });
    expect(await db.order.findUniqueOrThrow({ where: { checkoutId } })).toMatchObject({
      quantity: 3,
      unitPriceCents: 9_900,
      totalCents: 29_700,
    });
    expect((await db.wallet.findUniqueOrThrow({ where: { customerId: grace.profile.id } })).balanceCents).toBe(300);
    const summary = await checkInvariants(initialStock);
    expect(summary.violations).toEqual([]);
    expect(summary).toMatchObject({ orders: 1, unitsSold: 3, debits: 1, refunds: 0, debitedCents: 29_700 });
  });
});
