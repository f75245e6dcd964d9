import { randomUUID } from "node:crypto";
import { defineStep } from "@/server/saga/saga-definition";
import type { CheckoutInput } from "./checkout-input";
import type { PurchaseCompleted } from "./purchase-completed";

export const completeOrderStepId = "complete-order";

export type CompleteOrderOutput = { orderId: string };

/**
 * Confirms the order: the reservation becomes a sale (units leave stock for good) and PurchaseCompleted is written to
 * the outbox in the same transaction, so the event exists exactly when the order does. No compensation: it is the
 * last step, and a failure here commits nothing.
 */
export const completeOrderStep = defineStep<CheckoutInput, CompleteOrderOutput>({
  name: completeOrderStepId,
  async action({ tx, input, now }) {
    const sold = await tx.$executeRaw`
      UPDATE reservations SET status = 'sold', updated_at = now()
       WHERE checkout_id = ${input.checkoutId}::uuid AND status = 'held'`;
    // The saga holds the reservation until this step; anything else is a bug, and must not sell a unit twice.
    if (sold !== 1) throw new Error(`Checkout ${input.checkoutId} has no held reservation to complete`);
    await tx.$executeRaw`
      UPDATE inventory SET on_hand = on_hand - ${input.quantity}, reserved = reserved - ${input.quantity}, updated_at = now()
       WHERE product_id = ${input.productId}::uuid`;
    const order = await tx.order.create({
      data: {
        checkoutId: input.checkoutId,
        customerId: input.customerId,
        productId: input.productId,
        productName: input.productName,
        quantity: input.quantity,
        unitPriceCents: input.unitPriceCents,
        totalCents: input.amountCents,
      },
      select: { id: true },
    });
    const event: PurchaseCompleted = {
      eventId: randomUUID(),
      type: "PurchaseCompleted",
      orderId: order.id,
      customerId: input.customerId,
      amountCents: input.amountCents,
      items: [
        { productId: input.productId, name: input.productName, quantity: input.quantity, unitPriceCents: input.unitPriceCents },
      ],
      occurredAt: now.toISOString(),
    };
    await tx.outboxMessage.create({ data: { id: event.eventId, eventType: event.type, payload: event } });
    return { output: { orderId: order.id } };
  },
});
