import { defineSaga } from "@/server/saga/saga-definition";
import { checkoutInputSchema, type CheckoutInput } from "./checkout-input";
import { completeOrderStep } from "./complete-order-step";
import { debitWalletStep } from "./debit-wallet-step";
import { reserveStockStep } from "./reserve-stock-step";

export const CHECKOUT_SAGA_TYPE = "checkout";

/** Reserve the unicorns → take the payment → confirm the order. Undone in reverse: refund, then release. */
export function checkoutSaga(options: { reservationTtlMs: number }) {
  return defineSaga<CheckoutInput>({
    type: CHECKOUT_SAGA_TYPE,
    inputSchema: checkoutInputSchema,
    steps: [reserveStockStep(options), debitWalletStep, completeOrderStep],
    deadlineReason: "The checkout was not paid in time, so the reservation expired.",
  });
}
