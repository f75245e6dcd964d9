import { formatPoints } from "@/server/loyalty/points/format-points";
import { pointsWorth, quotePoints } from "@/server/loyalty/rules/quote-points";
import type { RedemptionRule } from "@/server/loyalty/rules/redemption-rule";

/** Why a checkout's points were not used, when the checkout was cancelled first (see decideCheckoutPoints). */
export const CANCELLED_BEFORE_REDEMPTION = "The checkout was cancelled before the points were used.";

const grouped = (points: number) => points.toLocaleString("en-US");

/**
 * Why these points cannot pay for part of this order, in words a shopper can read, or null when they can: more than
 * the customer can spend now, more than the rule's cap lets this order use, or too few to be worth a cent.
 */
export function redemptionRefusal(
  rule: RedemptionRule,
  request: { points: number; amountCents: number; spendablePoints: number },
): string | null {
  const { points, spendablePoints } = request;
  const have = `You have ${formatPoints(spendablePoints)}`;
  if (points > spendablePoints) return `${have}; you asked to use ${grouped(points)}.`;
  const quote = quotePoints(rule, request);
  if (points > quote.maxPoints) {
    return quote.maxPoints === 0 ? `${have}; this order is too small to use any.` : `${have}; this order can use at most ${grouped(quote.maxPoints)}.`;
  }
  if (quote.discountCents === 0) {
    return `${formatPoints(points)} ${points === 1 ? "is" : "are"} worth less than a cent; use at least ${grouped(pointsWorth(rule, 1))}.`;
  }
  return null;
}
