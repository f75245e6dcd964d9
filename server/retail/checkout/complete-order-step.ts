import { randomUUID } from "node:crypto";
import { defineStep } from "@/server/saga/saga-definition";
import { sql } from "@/server/sql";
import { amountToPay } from "./amount-to-pay";
import { completeOrderStepId } from "./checkout-steps";
import type { CheckoutInput } from "./checkout-input";
import type { PurchaseCompleted } from "./purchase-completed";

/** The order, and the PurchaseCompleted event it published (for the admin monitor to follow). */
export type CompleteOrderOutput = { orderId: string; eventId: string };

/**
 * Confirms the order: the reservation becomes a sale (units leave stock for good) and PurchaseCompleted is written to
 * the outbox in the same transaction, so the event exists exactly when the order does. The order records the points
 * used and what the wallet paid; the event's amount is what was paid (Loyalty earns on that, not on what points
 * covered). No compensation: it is the last step, and a failure here commits nothing.
 */
export const completeOrderStep = defineStep<CheckoutInput, CompleteOrderOutput>({
  name: completeOrderStepId,
  sharedRow: (input) => ({ row: `inventory:${input.productId}`, hot: true }),
  async action({ tx, input, outputs, now }) {
    const { pointsUsed, discountCents, paidCents } = amountToPay(input, outputs);
    const orderId = randomUUID();
    const event: PurchaseCompleted = {
      eventId: randomUUID(),
      type: "PurchaseCompleted",
      orderId,
      checkoutId: input.checkoutId,
      customerId: input.customerId,
      amountCents: paidCents,
      items: [
        { productId: input.productId, name: input.productName, quantity: input.quantity, unitPriceCents: input.unitPriceCents },
      ],
      occurredAt: now.toISOString(),
    };
    // One round trip; every part happens only if the reservation was still held, which the last part checks.
    const [result] = await tx.rows<{ sold: number }>(sql`
      WITH sold AS (
        UPDATE reservations SET status = 'sold', updated_at = now()
         WHERE checkout_id = ${input.checkoutId}::uuid AND status = 'held'
        RETURNING product_id, quantity
      ), stock AS (
        UPDATE inventory SET on_hand = inventory.on_hand - sold.quantity, reserved = inventory.reserved - sold.quantity,
               updated_at = now()
          FROM sold WHERE inventory.product_id = sold.product_id
      ), placed AS (
        INSERT INTO orders (id, checkout_id, customer_id, product_id, product_name, quantity, unit_price_cents, total_cents,
                            points_used, discount_cents, paid_cents)
        SELECT ${orderId}::uuid, ${input.checkoutId}::uuid, ${input.customerId}::uuid, sold.product_id,
               ${input.productName}, sold.quantity, ${input.unitPriceCents}, ${input.amountCents},
               ${pointsUsed}, ${discountCents}, ${paidCents}
          FROM sold
      ), published AS (
        INSERT INTO outbox_messages (id, event_type, payload)
        SELECT ${event.eventId}::uuid, ${event.type}, ${JSON.stringify(event)}::jsonb FROM sold
      )
      SELECT count(*)::int AS sold FROM sold`);
    // The saga holds the reservation until this step; anything else is a bug, and must not sell a unit twice.
    if (result?.sold !== 1) throw new Error(`Checkout ${input.checkoutId} has no held reservation to complete`);
    return { output: { orderId, eventId: event.eventId } };
  },
});
