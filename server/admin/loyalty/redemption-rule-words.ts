import type { RedemptionRule } from "@/server/loyalty/rules/redemption-rule";
import { formatCents } from "@/server/retail/money";

/** The redemption rule in words, for the audit log and the rules page (safe to import in the browser). */
export function describeRedemptionRule(rule: RedemptionRule): string {
  const points = `${rule.pointsPerStep.toLocaleString("en-US")} ${rule.pointsPerStep === 1 ? "point" : "points"}`;
  return `${points} = ${formatCents(rule.centsPerStep)}, at most ${rule.maxDiscountPercent}% of an order`;
}
