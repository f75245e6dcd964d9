import { z } from "zod";
import { MAX_POINTS_PER_EVENT } from "@/server/loyalty/points/point-limits";
import { parseRuleOrRefuse } from "./refuse-invalid-rule";

/**
 * What points are worth when they pay for part of a purchase: `pointsPerStep` points are worth `centsPerStep` cents
 * (the launch rule: 100 points = $5.00, so one point is worth 5 cents), and points pay at most `maxDiscountPercent`
 * of an order. Data an admin edits (admin.loyalty.redemptionRule.update), never code: a rule that could not be
 * applied sensibly cannot be parsed, so it can be neither saved nor applied.
 */

/** Caps that keep every product of the arithmetic (points × cents, amount × percent) a safe integer. */
const MAX_CENTS_PER_STEP = 1_000_000;

export const redemptionRuleSchema = z
  .object({
    pointsPerStep: z
      .number({ error: "Enter the points as a number." })
      .int("Points are whole numbers.")
      .min(1, "A step is at least 1 point.")
      .max(MAX_POINTS_PER_EVENT, "A step is at most 1,000,000 points."),
    centsPerStep: z
      .number({ error: "Enter the value as an amount." })
      .int("Give the value in whole cents.")
      .min(1, "A step is worth at least $0.01.")
      .max(MAX_CENTS_PER_STEP, "A step is worth at most $10,000.00."),
    // Below 100: points pay for part of a purchase, so something is always paid from the wallet.
    maxDiscountPercent: z
      .number({ error: "Enter the percentage as a number." })
      .int("Give the percentage as a whole number.")
      .min(1, "Points pay at least 1% of an order.")
      .max(99, "Points pay at most 99% of an order: the wallet pays the rest."),
  })
  .refine((rule) => rule.centsPerStep <= rule.pointsPerStep * 100, {
    message: "A point can be worth at most $1.00: give more points per step, or less value.",
    path: ["centsPerStep"],
    // Only about numbers that are each fine: one mistyped field gets one message.
    when: (payload) => payload.issues.length === 0,
  });

export type RedemptionRule = z.infer<typeof redemptionRuleSchema>;

/** Reads a stored or submitted rule, or refuses it with LOYALTY_RULE_INVALID naming what is wrong. */
export function parseRedemptionRule(input: unknown): RedemptionRule {
  return parseRuleOrRefuse(redemptionRuleSchema, input, "This redemption rule is not valid.");
}
