import { describe, expect, it } from "vitest";
import { MAX_POINTS_PER_EVENT } from "@/server/loyalty/points/point-limits";
import { pointsValueCents, pointsWorth, quotePoints, redemptionCapCents } from "./quote-points";
import type { RedemptionRule } from "./redemption-rule";
import { SEEDED_REDEMPTION_RULE } from "./seeded-redemption-rule";

const SEEDED = SEEDED_REDEMPTION_RULE; // 100 points = $5.00, at most 50% of an order
const quote = (points: number, amountCents: number, spendablePoints: number, rule: RedemptionRule = SEEDED) =>
  quotePoints(rule, { points, amountCents, spendablePoints });

describe("what points are worth (the seeded rule: 100 points = $5.00, at most half an order)", () => {
  it("values points at 5 cents each: 250 points take $12.50 off the $120.00 unicorn", () => {
    expect(quote(250, 120_00, 250)).toEqual({ points: 250, discountCents: 12_50, maxPoints: 250 });
    expect(pointsValueCents(SEEDED, 100)).toBe(500);
  });

  it("caps the discount at half the order: 1,200 points at most on $120.00, whatever more the customer has", () => {
    expect(quote(5_000, 120_00, 10_000)).toEqual({ points: 1_200, discountCents: 60_00, maxPoints: 1_200 });
    expect(redemptionCapCents(SEEDED, 120_00)).toBe(60_00);
  });

  it("offers no more than the customer can spend now", () => {
    expect(quote(250, 120_00, 40)).toEqual({ points: 40, discountCents: 2_00, maxPoints: 40 });
  });

  it("rounds the cap down to a cent and never offers points past it", () => {
    // 50% of $1.01 is 50.5 cents: 50 cents, which 10 points pay exactly; an 11th would pass the cap.
    expect(quote(100, 101, 100)).toEqual({ points: 10, discountCents: 50, maxPoints: 10 });
    // 50% of $0.99 is 49 cents: 9 points (45 cents); a 10th would make 50.
    expect(quote(100, 99, 100)).toEqual({ points: 9, discountCents: 45, maxPoints: 9 });
  });

  it("asks for 0 points: nothing off, and still says how many could be used", () => {
    expect(quote(0, 120_00, 250)).toEqual({ points: 0, discountCents: 0, maxPoints: 250 });
  });

  it("a tiny order whose cap is below one point's value can use none", () => {
    expect(quote(100, 9, 500)).toEqual({ points: 0, discountCents: 0, maxPoints: 0 }); // cap 4 cents, a point is 5
    expect(quote(100, 1, 500)).toEqual({ points: 0, discountCents: 0, maxPoints: 0 }); // cap 0
    expect(quote(100, 10, 500)).toEqual({ points: 1, discountCents: 5, maxPoints: 1 }); // cap 5 cents: one point
  });

  it("no spendable points: nothing to use", () => {
    expect(quote(250, 120_00, 0)).toEqual({ points: 0, discountCents: 0, maxPoints: 0 });
  });

  it("never more than one event may carry", () => {
    expect(quote(MAX_POINTS_PER_EVENT + 1, 2_000_000_000, 5_000_000).maxPoints).toBe(MAX_POINTS_PER_EVENT);
  });
});

describe("rules whose points are worth fractions of a cent", () => {
  const cheap: RedemptionRule = { pointsPerStep: 3, centsPerStep: 1, maxDiscountPercent: 50 }; // a point is a third of a cent

  it("rounds each discount down to a cent", () => {
    expect(quote(8, 100_00, 100, cheap)).toEqual({ points: 8, discountCents: 2, maxPoints: 100 - (100 % 3) });
    expect(pointsWorth(cheap, 1)).toBe(3);
  });

  it("never offers points that add nothing to the discount: 32 points are worth what 30 are", () => {
    // Cap 10 cents: 30, 31 and 32 points are all worth 10 cents; 30 are offered.
    expect(quote(32, 20, 100, cheap)).toEqual({ points: 30, discountCents: 10, maxPoints: 30 });
    // With 32 to spend and no cap in the way, the same: the 31st and 32nd add nothing.
    expect(quote(32, 100_00, 32, cheap)).toEqual({ points: 30, discountCents: 10, maxPoints: 30 });
  });

  it("a point worth more than a cent: 100 points = $1.50", () => {
    const rule: RedemptionRule = { pointsPerStep: 100, centsPerStep: 150, maxDiscountPercent: 10 };
    // Cap $1.20: 80 points are $1.20 exactly.
    expect(quote(1_000, 12_00, 1_000, rule)).toEqual({ points: 80, discountCents: 1_20, maxPoints: 80 });
    // 3 points are 4.5 cents: 4.
    expect(quote(3, 12_00, 1_000, rule)).toEqual({ points: 3, discountCents: 4, maxPoints: 80 });
  });

  it("stays exact at the largest amounts the shop accepts", () => {
    const rule: RedemptionRule = { pointsPerStep: 1_000_000, centsPerStep: 999_999, maxDiscountPercent: 99 };
    const result = quote(MAX_POINTS_PER_EVENT, 2_147_483_647, MAX_POINTS_PER_EVENT, rule);
    expect(result).toEqual({ points: 1_000_000, discountCents: 999_999, maxPoints: 1_000_000 });
  });
});
