import { redemptionRuleSchema, type RedemptionRule } from "./redemption-rule";

/**
 * The launch rule: 100 points = $5.00, and points pay at most half of an order. Seeded beside the campaign rules,
 * and what Loyalty redeems by while no rule is stored (a database migrated but never seeded).
 */
export const SEEDED_REDEMPTION_RULE: RedemptionRule = Object.freeze(
  // Parsed, so a typo here fails the first test rather than a customer's checkout.
  redemptionRuleSchema.parse({ pointsPerStep: 100, centsPerStep: 500, maxDiscountPercent: 50 }),
);
