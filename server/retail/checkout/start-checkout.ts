import { randomUUID } from "node:crypto";
import { DomainError } from "@/server/errors";
import type { SagaEngine } from "@/server/saga/saga-engine";
import { isUniqueViolation, sql, sqlPool, type SqlClient } from "@/server/sql";
import type { CheckoutInput } from "./checkout-input";
import { CHECKOUT_SAGA_TYPE } from "./checkout-saga";
import { holdUnits, type HeldUnits } from "./hold-units";
import { checkPurchaseLimit } from "./purchase-limit";

/**
 * Starts buying: sets the unicorns aside, stores the checkout and its saga, schedules the first step, and returns at
 * once — all in one transaction, so the answer is either "it's yours, paying now" (a checkout id) or "sold out", and
 * a saga starts only for units that are really there. The same idempotency key from the same customer returns the
 * same checkout, never a second one.
 *
 * A checkout for a product with nothing available is turned away with one cheap read, before any transaction: on
 * Cyber Monday most attempts arrive after the five unicorns are gone. Units held by checkouts still in flight count
 * as unavailable; if such a checkout fails, its units come back and the next attempt can have them.
 *
 * A product limited per customer (the sale's Classic Unicorn) is checked in the same transaction, before the units are
 * taken, under a lock that makes one customer's checkouts of it take turns (see purchase-limit.ts).
 *
 * `pointsToUse` (0: none) is only the shopper's wish: Loyalty decides, in the saga's redeem-points step, how many
 * of them can pay for part of this purchase, or refuses.
 */
export async function startCheckout(options: {
  customerId: string;
  productSlug: string;
  quantity: number;
  idempotencyKey: string;
  pointsToUse?: number;
  sagas: Pick<SagaEngine, "start">;
  /** How long the units stay set aside for payment. */
  reservationTtlMs: number;
}): Promise<{ checkoutId: string }> {
  const pointsToUse = options.pointsToUse ?? 0;
  const { product, earlier } = await readBeforeCheckout(options);
  if (earlier) return answerWithEarlier(earlier, { ...options, pointsToUse });

  if (!product) throw new DomainError("NOT_FOUND", "We couldn't find that unicorn.", { field: "productSlug" });
  if ((product.available ?? 0) < options.quantity) throw tooFewLeft(product, product.available ?? 0);

  const checkoutId = randomUUID();
  const input: CheckoutInput = {
    checkoutId,
    customerId: options.customerId,
    productId: product.id,
    productName: product.name,
    quantity: options.quantity,
    unitPriceCents: product.sale_price_cents,
    amountCents: product.sale_price_cents * options.quantity,
    pointsToUse,
  };
  try {
    await options.sagas.start({
      sagaType: CHECKOUT_SAGA_TYPE,
      sagaId: checkoutId,
      input,
      alongside: async (tx) => {
        // Here, with the reservation, and not in a later step: see purchase-limit.ts.
        if (product.max_per_customer !== null) {
          await checkPurchaseLimit(tx, {
            customerId: options.customerId,
            productId: product.id,
            productName: product.name,
            maxPerCustomer: product.max_per_customer,
            quantity: options.quantity,
          });
        }
        await tx.count(sql`
          INSERT INTO checkouts (id, customer_id, product_id, quantity, unit_price_cents, amount_cents, points_requested,
                                 idempotency_key)
          VALUES (${checkoutId}::uuid, ${options.customerId}::uuid, ${product.id}::uuid, ${options.quantity},
                  ${input.unitPriceCents}, ${input.amountCents}, ${pointsToUse}, ${options.idempotencyKey})`);
        const expiresAt = sql`now() + ${options.reservationTtlMs} * interval '1 millisecond'`;
        const [held] = await tx.rows<HeldUnits>(holdUnits({ checkoutId, productId: product.id, quantity: options.quantity, expiresAt }));
        // Others took the last units between the read above and now: nothing of this checkout is kept.
        if (!held) throw tooFewLeft(product, await unitsLeft(tx, product.id));
      },
    });
  } catch (error) {
    // The same key sent twice at the same moment: the other request created the checkout; answer with it. (Where the
    // product is limited per customer, the later one is refused by the limit, the other's unit counting, rather than
    // by the key's unique index.)
    if (isUniqueViolation(error) || (error instanceof DomainError && error.code === "PURCHASE_LIMIT")) {
      const { earlier: winner } = await readBeforeCheckout(options);
      if (winner) return answerWithEarlier(winner, { ...options, pointsToUse });
    }
    throw error;
  }
  return { checkoutId };
}

function tooFewLeft(product: ProductOnSale, available: number): DomainError {
  return new DomainError(
    "OUT_OF_STOCK",
    available <= 0 ? `Sorry, the ${product.name} is sold out.` : `Only ${available} of the ${product.name} left.`,
    { field: "quantity" },
  );
}

async function unitsLeft(tx: SqlClient, productId: string): Promise<number> {
  const [row] = await tx.rows<{ available: number }>(sql`
    SELECT on_hand - reserved AS available FROM inventory WHERE product_id = ${productId}::uuid`);
  return row?.available ?? 0;
}

type ProductOnSale = {
  id: string;
  name: string;
  sale_price_cents: number;
  available: number | null;
  max_per_customer: number | null;
};
type EarlierCheckout = { id: string; quantity: number; slug: string; pointsRequested: number };

/**
 * The product with what is available of it, and the checkout this key already started, if any — in one read: this
 * runs for every attempt of a flash sale, most of which are turned away right here.
 */
async function readBeforeCheckout(options: {
  customerId: string;
  productSlug: string;
  idempotencyKey: string;
}): Promise<{ product: ProductOnSale | null; earlier: EarlierCheckout | null }> {
  const [row] = await sqlPool.rows<{ product: ProductOnSale | null; earlier: EarlierCheckout | null }>(sql`
    SELECT
      (SELECT json_build_object('id', p.id, 'name', p.name, 'sale_price_cents', p.sale_price_cents,
                                'available', i.on_hand - i.reserved, 'max_per_customer', p.max_per_customer)
         FROM products p LEFT JOIN inventory i ON i.product_id = p.id
        WHERE p.slug = ${options.productSlug}) AS product,
      (SELECT json_build_object('id', c.id, 'quantity', c.quantity, 'slug', cp.slug, 'pointsRequested', c.points_requested)
         FROM checkouts c JOIN products cp ON cp.id = c.product_id
        WHERE c.customer_id = ${options.customerId}::uuid AND c.idempotency_key = ${options.idempotencyKey}) AS earlier`);
  return { product: row?.product ?? null, earlier: row?.earlier ?? null };
}

/** The same key again: the same checkout, provided it asks for the same purchase, paid the same way. */
function answerWithEarlier(
  earlier: EarlierCheckout,
  options: { productSlug: string; quantity: number; pointsToUse: number },
): { checkoutId: string } {
  if (earlier.slug !== options.productSlug || earlier.quantity !== options.quantity) {
    throw new DomainError(
      "IDEMPOTENCY_CONFLICT",
      "This checkout key was already used for a different purchase. Start a new checkout instead.",
    );
  }
  if (earlier.pointsRequested !== options.pointsToUse) {
    throw new DomainError(
      "IDEMPOTENCY_CONFLICT",
      `This checkout key was already used with ${pointsIn(earlier.pointsRequested)}, not ${pointsIn(options.pointsToUse)}. Start a new checkout instead.`,
    );
  }
  return { checkoutId: earlier.id };
}

function pointsIn(points: number): string {
  return points === 0 ? "no points" : `${points.toLocaleString("en-US")} point${points === 1 ? "" : "s"}`;
}
