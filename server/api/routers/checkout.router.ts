import { reservationTtlMs, sagaEngine } from "@/server/runtime/checkout-saga-engine";
import { getCheckoutStatus } from "@/server/retail/checkout/get-checkout-status";
import { startCheckout } from "@/server/retail/checkout/start-checkout";
import { protectedProcedure, router } from "../trpc";
import { checkoutIdInput, startCheckoutInput } from "./checkout.schema";

export const checkoutRouter = router({
  /** Starts the checkout saga and answers at once with its id; progress is read with `status`. */
  start: protectedProcedure
    .input(startCheckoutInput)
    .mutation(({ ctx, input }) => startCheckout({ customerId: ctx.customer.id, ...input, sagas: sagaEngine, reservationTtlMs })),

  status: protectedProcedure
    .input(checkoutIdInput)
    .query(({ ctx, input }) => getCheckoutStatus({ customerId: ctx.customer.id, checkoutId: input.checkoutId })),
});
