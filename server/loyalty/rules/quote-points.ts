import { MAX_POINTS_PER_EVENT } from "@/server/loyalty/points/point-limits";
import type { RedemptionRule } from "./redemption-rule";

/** What `points` would take off an order, and the most this customer could use on it. */
export type PointsQuote = {
  /** The points that would be used: what was asked, at most `maxPoints`. */
  points: number;
  /** Their value, rounded down to a cent. */
  discountCents: number;
  /** The most points this customer can use on this order now (their spendable points, within the cap). */
  maxPoints: number;
};

/**
 * What points are worth on an order of `amountCents`, under `rule`, for a customer who can spend `spendablePoints`
 * now. The cap is `floor(amountCents × maxDiscountPercent / 100)` cents; `maxPoints` is the most points whose value
 * fits both the cap and the spendable points — and never a point more than that value needs (with a point worth less
 * than a cent, a few more points may add nothing: those are not offered). Pure integer arithmetic, rounding down.
 */
export function quotePoints(
  rule: RedemptionRule,
  order: { points: number; amountCents: number; spendablePoints: number },
): PointsQuote {
  const capCents = redemptionCapCents(rule, order.amountCents);
  // The most points worth at most the cap: value(p) ≤ cap ⇔ p × cents < (cap + 1) × points per step.
  const withinCap = floorDiv((capCents + 1) * rule.pointsPerStep - 1, rule.centsPerStep);
  const usable = Math.max(0, Math.min(order.spendablePoints, withinCap, MAX_POINTS_PER_EVENT));
  const bestCents = pointsValueCents(rule, usable);
  const maxPoints = bestCents === 0 ? 0 : pointsWorth(rule, bestCents);
  const points = Math.max(0, Math.min(order.points, maxPoints));
  return { points, discountCents: pointsValueCents(rule, points), maxPoints };
}

/** The most an order of `amountCents` may be discounted by points, in cents (rounded down). */
export function redemptionCapCents(rule: RedemptionRule, amountCents: number): number {
  return floorDiv(amountCents * rule.maxDiscountPercent, 100);
}

/** What `points` are worth, rounded down to a cent: 250 points at 100 = $5.00 → 1,250 cents. */
export function pointsValueCents(rule: RedemptionRule, points: number): number {
  return floorDiv(points * rule.centsPerStep, rule.pointsPerStep);
}

/** The fewest points worth at least `cents`. */
export function pointsWorth(rule: RedemptionRule, cents: number): number {
  return floorDiv(cents * rule.pointsPerStep + rule.centsPerStep - 1, rule.centsPerStep);
}

/** ⌊a / b⌋ for non-negative safe integers, without floating-point division. */
function floorDiv(a: number, b: number): number {
  return (a - (a % b)) / b;
}
