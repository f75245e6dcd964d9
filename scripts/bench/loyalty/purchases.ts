import { randomUUID } from "node:crypto";
import type { PurchaseCompleted } from "@/server/retail/checkout/purchase-completed";

/**
 * The PurchaseCompleted messages the loyalty bench publishes: valid payloads with fresh ids, spread over many customers
 * plus a few hot ones (whose streams take concurrent appends, so version conflicts happen), most of them large enough
 * to earn points and some too small to earn any (the decider's "nothing to append" path).
 */

export type PurchaseMix = {
  /** Customers that each get a purchase now and then. */
  customers: number;
  /** Customers that get `hotShare` of all purchases between them. */
  hotCustomers: number;
  hotShare: number;
  /** Share of purchases under the $100 threshold (they earn nothing). */
  smallShare: number;
};

export type CustomerPool = { regular: string[]; hot: string[] };

export function customerPool(mix: PurchaseMix): CustomerPool {
  return {
    regular: Array.from({ length: mix.customers }, () => randomUUID()),
    hot: Array.from({ length: mix.hotCustomers }, () => randomUUID()),
  };
}

/** One purchase; `small` false makes it earn points whatever the mix says (the lag phase needs a history row each). */
export function newPurchase(pool: CustomerPool, mix: PurchaseMix, options: { allowSmall?: boolean } = {}): PurchaseCompleted {
  const hot = pool.hot.length > 0 && Math.random() < mix.hotShare;
  const customers = hot ? pool.hot : pool.regular;
  const small = (options.allowSmall ?? true) && Math.random() < mix.smallShare;
  // $100.00–$499.99 earns the threshold rule's points; $5.00–$99.99 earns nothing.
  const amountCents = small ? randomInt(500, 9_999) : randomInt(10_000, 49_999);
  const quantity = randomInt(1, 3);
  const unitPriceCents = Math.max(1, Math.floor(amountCents / quantity));
  return {
    eventId: randomUUID(),
    type: "PurchaseCompleted",
    orderId: randomUUID(),
    customerId: customers[Math.floor(Math.random() * customers.length)] as string,
    amountCents: unitPriceCents * quantity,
    items: [{ productId: randomUUID(), name: "Bench Unicorn", quantity, unitPriceCents }],
    occurredAt: new Date().toISOString(),
  };
}

function randomInt(min: number, max: number): number {
  return min + Math.floor(Math.random() * (max - min + 1));
}
