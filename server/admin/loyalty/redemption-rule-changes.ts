import type { RedemptionRule } from "@/server/loyalty/rules/redemption-rule";
import { readRedemptionRule, saveRedemptionRule, type StoredRedemptionRule } from "@/server/loyalty/rules/redemption-rule-store";
import { inTransaction } from "@/server/sql";
import { recordAudit, type AuditActor } from "../audit/record-audit";
import { describeRedemptionRule } from "./redemption-rule-words";

/** The audit log's action and target for changes of the redemption rule (one rule, so one target). */
export const UPDATE_REDEMPTION_RULE_ACTION = "update-redemption-rule";
export const REDEMPTION_RULE_TARGET = "redemption-rule";

/**
 * An admin sets what points are worth at checkout. The change and its audit line (the rule before and after) are
 * written in one transaction, with the rule locked: a refused rule leaves neither, and two admins saving at once
 * each record the rule they really replaced. Checkouts already redeemed keep the discount they got.
 */
export async function updateRedemptionRule(options: { rule: RedemptionRule; actor: AuditActor }): Promise<StoredRedemptionRule> {
  return inTransaction(async (tx) => {
    const before = await readRedemptionRule(tx, { forUpdate: true });
    const after = await saveRedemptionRule(tx, options.rule);
    await recordAudit(
      {
        actor: options.actor,
        action: UPDATE_REDEMPTION_RULE_ACTION,
        targetId: REDEMPTION_RULE_TARGET,
        outcome: `Set the redemption rule to ${describeRedemptionRule(after)} (was ${describeRedemptionRule(before)}).`,
        details: { before: numbersOf(before), after: numbersOf(after) },
      },
      tx,
    );
    return after;
  });
}

function numbersOf({ pointsPerStep, centsPerStep, maxDiscountPercent }: RedemptionRule): RedemptionRule {
  return { pointsPerStep, centsPerStep, maxDiscountPercent };
}
