import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

await vi.hoisted(async () => {
  const { useCheckoutTestTimings } = await import("@/server/testing/checkout-workers");
  useCheckoutTestTimings();
});

import { db } from "@/server/db";
import { createFundedCustomers, startCheckout, waitForCheckout, waitForSagas } from "@/server/testing/checkout-flow";
import { closeCheckoutSuite, openCheckoutSuite } from "@/server/testing/checkout-suite";
import { describeLogs, startCheckoutWorkers, type CheckoutWorker } from "@/server/testing/checkout-workers";
import { createTestProduct, truncateShop } from "@/server/testing/database";
import { clearSagaFaults, failPermanently } from "@/server/testing/saga-faults";

/**
 * A product limited per customer (the sale's Classic Unicorn: 1 per customer) is sold to one customer up to its limit
 * and no further, however many checkouts they start at once; what they hold in a checkout counts, what a failed
 * checkout gave back does not.
 */

let workers: CheckoutWorker[];

beforeAll(async () => {
  await openCheckoutSuite();
  workers = await startCheckoutWorkers(1, { name: "purchase-limit" });
});

afterAll(closeCheckoutSuite);

beforeEach(async () => {
  await clearSagaFaults();
  await truncateShop();
});

const unitsBoughtBy = async (customerId: string) =>
  (await db.order.findMany({ where: { customerId }, select: { quantity: true } })).reduce((sum, order) => sum + order.quantity, 0);

describe("a per-customer purchase limit", () => {
  it("sells one customer exactly the limit out of 10 checkouts started at once; another customer is unaffected", async () => {
    await createTestProduct({ slug: "limited-unicorn", onHand: 20, maxPerCustomer: 2 });
    const [eager, other] = await createFundedCustomers(2, 200_000);

    const responses = await Promise.all(Array.from({ length: 10 }, () => startCheckout(eager!.client, { productSlug: "limited-unicorn" })));
    const accepted = responses.filter((response) => response.status === 200).map((response) => response.data().checkoutId);
    expect(accepted).toHaveLength(2);
    for (const refused of responses.filter((response) => response.status !== 200)) {
      expect(refused.status, refused.text).toBe(409);
      expect(refused.error().data.domainCode).toBe("PURCHASE_LIMIT");
      expect(refused.error().message).toBe("The Classic Unicorn is limited to 2 per customer, and you already have your 2 (bought or in a checkout).");
      expect(refused.error().data.fieldErrors).toEqual({ quantity: [refused.error().message] });
    }
    await waitForSagas(accepted);
    expect(await unitsBoughtBy(eager!.id), describeLogs(workers)).toBe(2);

    // Bought units count as much as held ones: a later checkout is refused too, and takes nothing.
    const later = await startCheckout(eager!.client, { productSlug: "limited-unicorn" });
    expect(later.status, later.text).toBe(409);
    expect(await db.checkout.count({ where: { customerId: eager!.id } })).toBe(2);

    // Another customer is held to their own limit only: two in one checkout, then no more.
    const two = await startCheckout(other!.client, { productSlug: "limited-unicorn", quantity: 2 });
    expect(two.status, two.text).toBe(200);
    expect(await waitForCheckout(other!.client, two.data().checkoutId)).toMatchObject({ status: "completed" });
    const third = await startCheckout(other!.client, { productSlug: "limited-unicorn" });
    expect(third.status, third.text).toBe(409);
    expect(await db.inventory.findFirstOrThrow()).toMatchObject({ onHand: 16, reserved: 0 });
  });

  it("refuses a single checkout asking for more than the limit, saying how many are left to this customer", async () => {
    await createTestProduct({ slug: "limited-unicorn", onHand: 20, maxPerCustomer: 3 });
    const [customer] = await createFundedCustomers(1, 200_000);
    const first = await startCheckout(customer!.client, { productSlug: "limited-unicorn", quantity: 2 });
    expect(first.status, first.text).toBe(200);
    const tooMany = await startCheckout(customer!.client, { productSlug: "limited-unicorn", quantity: 2 });
    expect(tooMany.status, tooMany.text).toBe(409);
    expect(tooMany.error().message).toBe("The Classic Unicorn is limited to 3 per customer: you can add 1 more.");
    await waitForSagas([first.data().checkoutId]);
  });

  it("gives the unit of a compensated checkout back to the same customer", async () => {
    await createTestProduct({ slug: "classic-unicorn", onHand: 5, maxPerCustomer: 1 });
    const [customer] = await createFundedCustomers(1, 200_000);
    await failPermanently({ step: "complete-order", remaining: 1 });

    const failing = await startCheckout(customer!.client, { productSlug: "classic-unicorn" });
    expect(failing.status, failing.text).toBe(200);
    expect(await waitForCheckout(customer!.client, failing.data().checkoutId)).toMatchObject({ status: "compensated" });

    const again = await startCheckout(customer!.client, { productSlug: "classic-unicorn" });
    expect(again.status, again.text).toBe(200);
    expect(await waitForCheckout(customer!.client, again.data().checkoutId)).toMatchObject({ status: "completed" });
    expect(await unitsBoughtBy(customer!.id)).toBe(1);
    expect((await startCheckout(customer!.client, { productSlug: "classic-unicorn" })).status).toBe(409);
  });

  it("answers the same key sent twice at once with one checkout, not with the limit", async () => {
    await createTestProduct({ slug: "classic-unicorn", onHand: 5, maxPerCustomer: 1 });
    const [customer] = await createFundedCustomers(1, 200_000);
    const idempotencyKey = `double-click-${randomUUID()}`;
    const [a, b] = await Promise.all([
      startCheckout(customer!.client, { productSlug: "classic-unicorn", idempotencyKey }),
      startCheckout(customer!.client, { productSlug: "classic-unicorn", idempotencyKey }),
    ]);
    expect([a!.status, b!.status], `${a!.text} ${b!.text}`).toEqual([200, 200]);
    expect(a!.data().checkoutId).toBe(b!.data().checkoutId);
    await waitForSagas([a!.data().checkoutId]);
  });

  it("shows the limit on the product (catalog.get)", async () => {
    await createTestProduct({ slug: "classic-unicorn", onHand: 5, maxPerCustomer: 1 });
    await createTestProduct({ slug: "pocket-unicorn", onHand: 5 });
    const [customer] = await createFundedCustomers(1, 0);
    expect((await customer!.client.query("catalog.get", { slug: "classic-unicorn" })).data()).toMatchObject({ maxPerCustomer: 1 });
    expect((await customer!.client.query("catalog.get", { slug: "pocket-unicorn" })).data()).toMatchObject({ maxPerCustomer: null });
  });
});
