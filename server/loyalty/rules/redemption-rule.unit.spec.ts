import { describe, expect, it } from "vitest";
import { DomainError } from "@/server/errors";
import { parseRedemptionRule } from "./redemption-rule";
import { SEEDED_REDEMPTION_RULE } from "./seeded-redemption-rule";

function refusal(input: unknown): { code: string; field?: string; message: string } {
  try {
    parseRedemptionRule(input);
  } catch (error) {
    if (error instanceof DomainError) return { code: error.code, field: error.field, message: error.message };
    throw error;
  }
  throw new Error("expected the rule to be refused");
}

describe("the redemption rule", () => {
  it("seeds 100 points = $5.00, at most 50% of an order", () => {
    expect(SEEDED_REDEMPTION_RULE).toEqual({ pointsPerStep: 100, centsPerStep: 500, maxDiscountPercent: 50 });
  });

  it.each([
    [{ pointsPerStep: 0 }, "pointsPerStep", "A step is at least 1 point."],
    [{ pointsPerStep: 1.5 }, "pointsPerStep", "Points are whole numbers."],
    [{ pointsPerStep: 2_000_000 }, "pointsPerStep", "A step is at most 1,000,000 points."],
    [{ centsPerStep: 0 }, "centsPerStep", "A step is worth at least $0.01."],
    [{ centsPerStep: 2.5 }, "centsPerStep", "Give the value in whole cents."],
    [{ maxDiscountPercent: 0 }, "maxDiscountPercent", "Points pay at least 1% of an order."],
    [{ maxDiscountPercent: 100 }, "maxDiscountPercent", "Points pay at most 99% of an order: the wallet pays the rest."],
    // A domain rule across fields: 1 point worth $5.00 is a typo, not a promotion.
    [{ pointsPerStep: 1, centsPerStep: 500 }, "centsPerStep", "A point can be worth at most $1.00: give more points per step, or less value."],
  ])("refuses %o, naming %s", (change, field, message) => {
    expect(refusal({ ...SEEDED_REDEMPTION_RULE, ...change })).toEqual({ code: "LOYALTY_RULE_INVALID", field, message });
  });

  it("accepts a point worth exactly $1.00", () => {
    expect(parseRedemptionRule({ pointsPerStep: 1, centsPerStep: 100, maxDiscountPercent: 99 })).toMatchObject({ centsPerStep: 100 });
  });
});
