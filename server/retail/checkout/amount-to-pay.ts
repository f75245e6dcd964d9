import type { CheckoutInput } from "./checkout-input";
import { redeemPointsStepId } from "./checkout-steps";

/** What the redeem-points step keeps of Loyalty's answer: the points used, what they took off, and from which lots. */
export type RedeemPointsOutput = {
  pointsUsed: number;
  discountCents: number;
  lots: { lotId: string; points: number; expiresAt: string }[];
};

export type AmountToPay = { pointsUsed: number; discountCents: number; paidCents: number };

/**
 * What the wallet pays for a checkout, once its steps so far have run: the amount less what the points Loyalty
 * redeemed took off (nothing, when the checkout uses no points). The debit, the order and PurchaseCompleted (on which
 * Loyalty earns) all read it here.
 */
export function amountToPay(input: Pick<CheckoutInput, "amountCents">, outputs: Readonly<Record<string, unknown>>): AmountToPay {
  const redeemed = outputs[redeemPointsStepId] as RedeemPointsOutput | undefined;
  const pointsUsed = redeemed?.pointsUsed ?? 0;
  const discountCents = redeemed?.discountCents ?? 0;
  return { pointsUsed, discountCents, paidCents: input.amountCents - discountCents };
}
