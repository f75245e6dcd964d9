/**
 * The checkout saga's steps by id, in order: the one place their names are written. The step definitions, the
 * shopper's checkout page, the admin monitor and the benchmarks all read them from here (no imports, so client
 * components can too).
 */
export const reserveStockStepId = "reserve-stock";
/** Only in checkouts that use points: Loyalty redeems them, over messages (server/contracts/checkout-points-messages.ts). */
export const redeemPointsStepId = "redeem-points";
export const debitWalletStepId = "debit-wallet";
export const completeOrderStepId = "complete-order";

export const CHECKOUT_STEP_IDS = [reserveStockStepId, redeemPointsStepId, debitWalletStepId, completeOrderStepId] as const;

export type CheckoutStepId = (typeof CHECKOUT_STEP_IDS)[number];
