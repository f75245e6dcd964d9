import { randomUUID } from "node:crypto";
import { db } from "@/server/db";
import { DomainError } from "@/server/errors";
import { Prisma } from "@/server/generated/prisma/client";
import type { SagaEngine } from "@/server/saga/saga-engine";
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
      available === 0 ? `Sorry, the ${product.name} is sold out.` : `Only ${available} ${product.name} left.`,
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
      alongside: (tx) =>
        tx.checkout
          .create({
            data: {
              id: checkoutId,
              customerId: options.customerId,
              productId: product.id,
              quantity: options.quantity,
              unitPriceCents: input.unitPriceCents,
              amountCents: input.amountCents,
              idempotencyKey: options.idempotencyKey,
            },
          })
          .then(() => undefined),
    });
  } catch (error) {
    // The same key sent twice at the same moment: the other request created the checkout; answer with it.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
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
