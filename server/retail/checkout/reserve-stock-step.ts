import { DomainError } from "@/server/errors";
import { defineStep } from "@/server/saga/saga-definition";
import type { CheckoutInput } from "./checkout-input";

export const reserveStockStepId = "reserve-stock";

export type ReserveStockOutput = { reservationId: string };

/**
 * Sets the unicorns aside. One conditional UPDATE decides, under the row lock PostgreSQL takes for it, whether enough
 * are available: concurrent checkouts queue on the inventory row and none can take a unit another already holds.
 * The reservation holds until `reservationTtlMs` from now; the saga's deadline is set to match.
 */
export function reserveStockStep(options: { reservationTtlMs: number }) {
  return defineStep<CheckoutInput, ReserveStockOutput>({
    name: reserveStockStepId,
    async action({ tx, input, now }) {
      const reserved = await tx.$executeRaw`
        UPDATE inventory SET reserved = reserved + ${input.quantity}, updated_at = now()
         WHERE product_id = ${input.productId}::uuid AND on_hand - reserved >= ${input.quantity}`;
      if (reserved === 0) {
        const wanted = input.quantity === 1 ? "yours" : `${input.quantity} for you`;
        throw new DomainError("OUT_OF_STOCK", `Sorry, the ${input.productName} sold out before we could reserve ${wanted}.`);
      }
      const expiresAt = new Date(now.getTime() + options.reservationTtlMs);
      const reservation = await tx.reservation.create({
        data: { checkoutId: input.checkoutId, productId: input.productId, quantity: input.quantity, expiresAt },
        select: { id: true },
      });
      return { output: { reservationId: reservation.id }, deadlineAt: expiresAt };
    },

    /** Runs when paying or confirming failed, or the reservation expired: the units go back on sale. */
    async compensation({ tx, input }) {
      const released = await tx.$executeRaw`
        UPDATE reservations SET status = 'released', updated_at = now()
         WHERE checkout_id = ${input.checkoutId}::uuid AND status = 'held'`;
      if (released === 0) return; // never held, or already released
      await tx.$executeRaw`
        UPDATE inventory SET reserved = reserved - ${input.quantity}, updated_at = now()
         WHERE product_id = ${input.productId}::uuid`;
    },
  });
}
