import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

await vi.hoisted(async () => {
  const { useCheckoutTestTimings } = await import("@/server/testing/checkout-workers");
  useCheckoutTestTimings();
});

import { createApiClient } from "@/server/testing/api-client";
import { fundedCustomer, startAcceptedCheckout, waitForCheckout } from "@/server/testing/checkout-flow";
import { closeCheckoutSuite, openCheckoutSuite } from "@/server/testing/checkout-suite";
import { describeLogs, startCheckoutWorkers, type CheckoutWorker } from "@/server/testing/checkout-workers";
import { createTestProduct, truncateShop } from "@/server/testing/database";
import { clearSagaFaults, delayBefore, failPermanently } from "@/server/testing/saga-faults";

/**
 * The orders page's lists, through the API as the pages read them, with checkouts run by a real checkout worker:
 * `orders.purchases` (every checkout, whatever became of it) and the wallet's entries naming their purchase.
 */

let workers: CheckoutWorker[];

beforeAll(async () => {
  await openCheckoutSuite();
  workers = await startCheckoutWorkers(1, { name: "purchases" });
});

afterAll(closeCheckoutSuite);

beforeEach(async () => {
  await truncateShop();
  await createTestProduct({ slug: "classic-unicorn", onHand: 10, salePriceCents: 12_000 });
});

afterEach(clearSagaFaults);

describe("orders.purchases", () => {
  it("lists every checkout of the customer, newest first, confirmed, failed, with our team or still going, and no one else's", async () => {
    const ada = await fundedCustomer(50_000, "Ada");
    const bob = await fundedCustomer(50_000, "Bob");

    const confirmed = await startAcceptedCheckout(ada.client, { productSlug: "classic-unicorn" });
    const order = await waitForCheckout(ada.client, confirmed);
    await waitForCheckout(bob.client, await startAcceptedCheckout(bob.client, { productSlug: "classic-unicorn" }));

    // Confirming fails for good once: the payment is refunded and the unicorn released.
    await failPermanently({ step: "complete-order", remaining: 1 });
    const refunded = await startAcceptedCheckout(ada.client, { productSlug: "classic-unicorn" });
    await waitForCheckout(ada.client, refunded);

    // Confirming fails, then releasing the unicorn fails for good: with our team.
    await failPermanently({ step: "complete-order", remaining: 1 });
    await failPermanently({ step: "reserve-stock", phase: "compensation", remaining: 1 });
    const withTeam = await startAcceptedCheckout(ada.client, { productSlug: "classic-unicorn" });
    expect((await waitForCheckout(ada.client, withTeam)).status, describeLogs(workers)).toBe("needs_attention");

    // Paying waits: still going while the list is read.
    await delayBefore({ step: "debit-wallet", remaining: 1, delayMs: 3_000 });
    const going = await startAcceptedCheckout(ada.client, { productSlug: "classic-unicorn" });

    const purchases = (await ada.client.query("orders.purchases")).data();
    expect(purchases.map((purchase) => [purchase.checkoutId, purchase.status, purchase.orderId])).toEqual([
      [going, "running", null],
      [withTeam, "needs_attention", null],
      [refunded, "compensated", null],
      [confirmed, "completed", order.orderId],
    ]);
    expect(purchases[3]).toMatchObject({
      productName: "Classic Unicorn",
      productSlug: "classic-unicorn",
      productColour: "#f0abfc",
      quantity: 1,
      totalCents: 12_000,
      createdAt: expect.any(Date),
    });
    expect((await bob.client.query("orders.purchases")).data()).toHaveLength(1);
    await waitForCheckout(ada.client, going);
  });

  it("is empty for a customer who never checked out, and refuses anonymous callers", async () => {
    const ada = await fundedCustomer(0, "Ada");
    expect((await ada.client.query("orders.purchases")).data()).toEqual([]);
    expect((await createApiClient().query("orders.purchases")).status).toBe(401);
  });
});

describe("wallet.get's entries name their purchase", () => {
  it("a payment links to its order once there is one, a refund to its checkout, a top-up to nothing", async () => {
    const ada = await fundedCustomer(50_000, "Ada");
    const confirmed = await startAcceptedCheckout(ada.client, { productSlug: "classic-unicorn" });
    const order = await waitForCheckout(ada.client, confirmed);
    await failPermanently({ step: "complete-order", remaining: 1 });
    const refunded = await startAcceptedCheckout(ada.client, { productSlug: "classic-unicorn" });
    await waitForCheckout(ada.client, refunded);

    // Compensated means refunded: the refund is in the ledger by now.
    const wallet = (await ada.client.query("wallet.get")).data();

    expect(wallet.entries.map((entry) => [entry.kind, entry.purchase])).toEqual([
      ["refund", { checkoutId: refunded, orderId: null }],
      ["debit", { checkoutId: refunded, orderId: null }],
      ["debit", { checkoutId: confirmed, orderId: order.orderId }],
      ["deposit", null],
    ]);
  });
});
