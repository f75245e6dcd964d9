import { DomainError } from "@/server/errors";
import { defineStep } from "@/server/saga/saga-definition";
import { sql } from "@/server/sql";
import { reserveStockStepId } from "./checkout-steps";
import { holdUnits, type HeldUnits } from "./hold-units";
import type { CheckoutInput } from "./checkout-input";

export type ReserveStockOutput = { reservationId: string };

/**
 * Makes sure the unicorns are set aside. `startCheckout` normally took them already, in the transaction that started
 * the saga (so a shopper learns "sold out" from the start itself, and no saga starts for a unit that is not there):
 * this step then only confirms that reservation. A checkout started without one (e.g. before that change) has its
 * units taken here, the same way. The reservation holds until its expiry; the saga's deadline is set to match.
 */
export function reserveStockStep(options: { reservationTtlMs: number }) {
  return defineStep<CheckoutInput, ReserveStockOutput>({
    name: reserveStockStepId,
    // checkout.start holds the units: a checkout cancelled or failed before this step ran still gives them back.
    begunAtStart: true,
    sharedRow: (input) => ({ row: `inventory:${input.productId}`, hot: true }),
    async action({ tx, input, now }) {
      const expiresAt = new Date(now.getTime() + options.reservationTtlMs);
      // The payment window is counted from here, as the saga's deadline is: a checkout that waited in the queue
      // still gets its full time to pay.
      const [heldAtStart] = await tx.rows<HeldUnits>(sql`
        UPDATE reservations SET expires_at = ${expiresAt}::timestamptz, updated_at = now()
         WHERE checkout_id = ${input.checkoutId}::uuid AND status = 'held'
        RETURNING id, expires_at`);
      const [reservation] = heldAtStart
        ? [heldAtStart]
        : await tx.rows<HeldUnits>(holdUnits({ ...input, expiresAt: sql`${expiresAt}::timestamptz` }));
      if (!reservation) {
        const wanted = input.quantity === 1 ? "yours" : `${input.quantity} for you`;
        throw new DomainError("OUT_OF_STOCK", `Sorry, the ${input.productName} sold out before we could reserve ${wanted}.`);
      }
      return { output: { reservationId: reservation.id }, deadlineAt: reservation.expires_at };
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
