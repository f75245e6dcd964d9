import { defineSaga } from "@/server/saga/saga-definition";
import { checkoutInputSchema, type CheckoutInput } from "./checkout-input";
import { completeOrderStep } from "./complete-order-step";
import { debitWalletStep } from "./debit-wallet-step";
import { redeemPointsStep } from "./redeem-points-step";
import { reserveStockStep } from "./reserve-stock-step";

export const CHECKOUT_SAGA_TYPE = "checkout";

/**
 * Reserve the unicorns → redeem the shopper's points (only when they chose to use some) → take the payment (less
 * what the points took off) → confirm the order. Undone in reverse: refund, give the points back, release.
 */
export function checkoutSaga(options: { reservationTtlMs: number; pointsReplyTimeoutMs: number }) {
  return defineSaga<CheckoutInput>({
    type: CHECKOUT_SAGA_TYPE,
    inputSchema: checkoutInputSchema,
    steps: [
      reserveStockStep(options),
      redeemPointsStep({ replyTimeoutMs: options.pointsReplyTimeoutMs }),
      debitWalletStep,
      completeOrderStep,
    ],
    deadlineReason: "The checkout was not paid in time, so the reservation expired.",
  });
}
