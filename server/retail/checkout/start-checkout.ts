import { randomUUID } from "node:crypto";
import { db } from "@/server/db";
import { DomainError } from "@/server/errors";
import type { SagaEngine } from "@/server/saga/saga-engine";
import { isUniqueViolation, sql } from "@/server/sql";
import type { CheckoutInput } from "./checkout-input";
import { CHECKOUT_SAGA_TYPE } from "./checkout-saga";

/**
 * Starts buying: stores the checkout and its saga, schedules the first step, and returns at once. The same
 * idempotency key from the same customer returns the same checkout, never a second one.
 *
 * A checkout for a product with nothing available is turned away here with one cheap read, without a saga: on
 * Cyber Monday most attempts arrive after the five unicorns are gone. Units held by checkouts still in flight count
 * as unavailable; if such a checkout fails, its units come back and the next attempt can have them.
 */
export async function startCheckout(options: {
  customerId: string;
  productSlug: string;
  quantity: number;
  idempotencyKey: string;
  sagas: Pick<SagaEngine, "start">;
}): Promise<{ checkoutId: string }> {
  const earlier = await findEarlierCheckout(options);
  if (earlier) return earlier;

  const product = await db.product.findUnique({
    where: { slug: options.productSlug },
    select: { id: true, name: true, salePriceCents: true, inventory: { select: { onHand: true, reserved: true } } },
  });
  if (!product) throw new DomainError("NOT_FOUND", "We couldn't find that unicorn.", { field: "productSlug" });
  const available = product.inventory ? product.inventory.onHand - product.inventory.reserved : 0;
  if (available < options.quantity) {
    throw new DomainError(
      "OUT_OF_STOCK",
      available === 0 ? `Sorry, the ${product.name} is sold out.` : `Only ${available} of the ${product.name} left.`,
      { field: "quantity" },
    );
  }

  const checkoutId = randomUUID();
  const input: CheckoutInput = {
    checkoutId,
    customerId: options.customerId,
    productId: product.id,
    productName: product.name,
    quantity: options.quantity,
    unitPriceCents: product.salePriceCents,
    amountCents: product.salePriceCents * options.quantity,
  };
  try {
    await options.sagas.start({
      sagaType: CHECKOUT_SAGA_TYPE,
      sagaId: checkoutId,
      input,
      alongside: async (tx) => {
        await tx.count(sql`
          INSERT INTO checkouts (id, customer_id, product_id, quantity, unit_price_cents, amount_cents, idempotency_key)
          VALUES (${checkoutId}::uuid, ${options.customerId}::uuid, ${product.id}::uuid, ${options.quantity},
                  ${input.unitPriceCents}, ${input.amountCents}, ${options.idempotencyKey})`);
      },
    });
  } catch (error) {
    // The same key sent twice at the same moment: the other request created the checkout; answer with it.
    if (isUniqueViolation(error)) {
      const winner = await findEarlierCheckout(options);
      if (winner) return winner;
    }
    throw error;
  }
  return { checkoutId };
}

async function findEarlierCheckout(options: {
  customerId: string;
  productSlug: string;
  quantity: number;
  idempotencyKey: string;
}): Promise<{ checkoutId: string } | null> {
  const earlier = await db.checkout.findUnique({
    where: { customerId_idempotencyKey: { customerId: options.customerId, idempotencyKey: options.idempotencyKey } },
    select: { id: true, quantity: true, product: { select: { slug: true } } },
  });
  if (!earlier) return null;
  if (earlier.product.slug !== options.productSlug || earlier.quantity !== options.quantity) {
    throw new DomainError(
      "IDEMPOTENCY_CONFLICT",
      "This checkout key was already used for a different purchase. Start a new checkout instead.",
    );
  }
  return { checkoutId: earlier.id };
}
