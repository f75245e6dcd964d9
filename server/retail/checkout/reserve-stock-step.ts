import { DomainError } from "@/server/errors";
import { defineStep } from "@/server/saga/saga-definition";
import { sql } from "@/server/sql";
import { reserveStockStepId } from "./checkout-steps";
import type { CheckoutInput } from "./checkout-input";


export type ReserveStockOutput = { reservationId: string };

/**
 * Sets the unicorns aside. One conditional UPDATE decides, under the row lock PostgreSQL takes for it, whether enough
 * are available: concurrent checkouts queue on the inventory row and none can take a unit another already holds.
 * The reservation holds until `reservationTtlMs` from now; the saga's deadline is set to match.
 */
export function reserveStockStep(options: { reservationTtlMs: number }) {
  return defineStep<CheckoutInput, ReserveStockOutput>({
    name: reserveStockStepId,
    sharedRow: (input) => ({ row: `inventory:${input.productId}`, hot: true }),
    async action({ tx, input, now }) {
      const expiresAt = new Date(now.getTime() + options.reservationTtlMs);
      // One round trip: take the units only if they are there, and record the reservation only if they were taken.
      const [reservation] = await tx.rows<{ id: string }>(sql`
        WITH taken AS (
          UPDATE inventory SET reserved = reserved + ${input.quantity}, updated_at = now()
           WHERE product_id = ${input.productId}::uuid AND on_hand - reserved >= ${input.quantity}
          RETURNING product_id
        )
        INSERT INTO reservations (checkout_id, product_id, quantity, expires_at)
        SELECT ${input.checkoutId}::uuid, product_id, ${input.quantity}, ${expiresAt}::timestamptz FROM taken
        RETURNING id`);
      if (!reservation) {
        const wanted = input.quantity === 1 ? "yours" : `${input.quantity} for you`;
        throw new DomainError("OUT_OF_STOCK", `Sorry, the ${input.productName} sold out before we could reserve ${wanted}.`);
      }
      return { output: { reservationId: reservation.id }, deadlineAt: expiresAt };
    },

    /** Runs when paying or confirming failed, or the reservation expired: the units go back on sale. */
    async compensation({ tx, input }) {
      // Only a reservation still held gives its units back, so a second run changes nothing.
      await tx.count(sql`
        WITH released AS (
          UPDATE reservations SET status = 'released', updated_at = now()
           WHERE checkout_id = ${input.checkoutId}::uuid AND status = 'held'
          RETURNING product_id, quantity
        )
        UPDATE inventory SET reserved = inventory.reserved - released.quantity, updated_at = now()
          FROM released WHERE inventory.product_id = released.product_id`);
    },
  });
}
