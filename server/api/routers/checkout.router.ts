import { reservationTtlMs, sagaEngine } from "@/server/runtime/checkout-saga-engine";
import { watchSaga } from "@/server/runtime/live-changes";
import { followCheckoutStatus } from "@/server/retail/checkout/follow-checkout-status";
import { getCheckoutStatus } from "@/server/retail/checkout/get-checkout-status";
import { startCheckout } from "@/server/retail/checkout/start-checkout";
import { trackedUpdates } from "../live-stream";
import { protectedProcedure, router } from "../trpc";
import { checkoutIdInput, followCheckoutInput, startCheckoutInput } from "./checkout.schema";

export const checkoutRouter = router({
  /** Starts the checkout saga and answers at once with its id; progress is read with `status` or `onStatus`. */
  start: protectedProcedure
    .input(startCheckoutInput)
    .mutation(({ ctx, input }) => startCheckout({ customerId: ctx.customer.id, ...input, sagas: sagaEngine, reservationTtlMs })),

  status: protectedProcedure
    .input(checkoutIdInput)
    .query(({ ctx, input }) => getCheckoutStatus({ customerId: ctx.customer.id, checkoutId: input.checkoutId })),

  /**
   * `status` pushed (SSE): the status at once, then each time it changes, ending after a finished one. The owner check
   * runs before the stream starts, so someone else's checkout is the same NOT_FOUND as `status`, with no event.
   */
  onStatus: protectedProcedure.input(followCheckoutInput).subscription(async ({ ctx, input, signal }) => {
    const updates = await followCheckoutStatus({
      customerId: ctx.customer.id,
      checkoutId: input.checkoutId,
      lastUpdateId: input.lastEventId,
      watchSaga,
      signal,
    });
    return trackedUpdates(updates, (update) => [update.id, update.status]);
  }),
});
