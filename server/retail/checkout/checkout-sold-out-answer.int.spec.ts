import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

await vi.hoisted(async () => {
  const { useCheckoutTestTimings } = await import("@/server/testing/checkout-workers");
  useCheckoutTestTimings();
});

import { db } from "@/server/db";
import { fundedCustomer, startCheckout, waitForCheckout } from "@/server/testing/checkout-flow";
import { checkInvariants, snapshotStock } from "@/server/testing/checkout-invariants";
import { startCheckoutWorkers, stopAllCheckoutWorkers } from "@/server/testing/checkout-workers";
import { createTestProduct, truncateShop } from "@/server/testing/database";
import { delayBefore } from "@/server/testing/saga-faults";
import { closeCheckoutSuite, openCheckoutSuite } from "@/server/testing/checkout-suite";

/**
 * "Sold out" is answered by checkout.start itself, which sets the units aside in the same transaction that starts the
 * saga: a shopper turned away costs no saga, and a unit that comes back (a checkout that could not be paid) can be
 * bought again at once.
 */
const PRICE = 12_000;

beforeAll(async () => {
  await openCheckoutSuite();
  await startCheckoutWorkers(1, { name: "sold-out-answer" });
});

afterAll(async () => {
  await stopAllCheckoutWorkers();
  await closeCheckoutSuite();
});

beforeEach(truncateShop);

describe("the sold-out answer", () => {
  it("comes from the start itself once the units are set aside, and starts no saga", { timeout: 30_000 }, async () => {
    const product = await createTestProduct({ onHand: 1, salePriceCents: PRICE });
    const first = await fundedCustomer(50_000, "First");
    const late = await fundedCustomer(50_000, "Late");
    // The worker runs: without a pause its saga could sell the unit before the test reads the reservation.
    await delayBefore({ step: "reserve-stock", remaining: 1, delayMs: 2_000 });

    const taken = await startCheckout(first.client, { productSlug: product.slug });
    expect(taken.status, taken.text).toBe(200);
    // Held for the first shopper before their saga has run a single step.
    expect(await db.reservation.findUniqueOrThrow({ where: { checkoutId: taken.data().checkoutId } })).toMatchObject({ status: "held" });

    const refused = await startCheckout(late.client, { productSlug: product.slug });
    expect(refused.status).toBe(409);
    expect(refused.error().data.domainCode).toBe("OUT_OF_STOCK");
    expect(await db.sagaInstance.count()).toBe(1);
    expect(await db.checkout.count()).toBe(1);
  });

  it("never refuses a unit a compensation gave back: the next start after it gets the unit", { timeout: 30_000 }, async () => {
    const product = await createTestProduct({ onHand: 1, salePriceCents: PRICE });
    const initialStock = await snapshotStock();
    const short = await fundedCustomer(1_000, "Short");
    const next = await fundedCustomer(50_000, "Next");
    // The short shopper's payment is tried after a moment, so that the unit is seen held meanwhile.
    await delayBefore({ step: "debit-wallet", remaining: 1, delayMs: 1_000 });

    const shortId = (await startCheckout(short.client, { productSlug: product.slug })).data().checkoutId;
    expect((await startCheckout(next.client, { productSlug: product.slug })).status).toBe(409);

    const failed = await waitForCheckout(short.client, shortId, { intervalMs: 20 });
    expect(failed.status).toBe("compensated");

    // The very first start after the compensation is seen gets the unit: the release and the stock the start reads
    // are one row, with nothing cached in between, so "within a second" holds with no wait at all. (How long the
    // machine took to get here depends on its load: timing is the benchmarks' business, not this test's.)
    const again = await startCheckout(next.client, { productSlug: product.slug });
    expect(again.status, again.text).toBe(200);

    expect((await waitForCheckout(next.client, again.data().checkoutId)).status).toBe("completed");
    const summary = await checkInvariants(initialStock);
    expect(summary.violations).toEqual([]);
    expect(summary).toMatchObject({ orders: 1, unitsSold: 1, refundedCents: 0 });
  });
});
