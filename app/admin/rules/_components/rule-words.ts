import { formatCents } from "@/server/retail/money";
import type { CampaignRuleView } from "../../_lib/admin-api";

export const RULE_KINDS = {
  threshold: "Threshold",
  percentage: "Percentage",
  multiplier: "Multiplier",
} as const satisfies Record<CampaignRuleView["kind"], string>;

/** A rule's numbers in words: "$50.00 or more earns 100 points", "10% of the amount", "× 2". */
export function ruleNumbers(rule: CampaignRuleView): string {
  switch (rule.kind) {
    case "threshold":
      return `${formatCents(rule.minAmountCents)} or more earns ${rule.points === 1 ? "1 point" : `${rule.points} points`}`;
    case "percentage":
      return `${rule.percent}% of the amount in points`;
    case "multiplier":
      return `× ${rule.factor} the points earned`;
  }
}
