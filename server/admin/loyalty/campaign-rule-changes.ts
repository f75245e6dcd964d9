import type { CampaignRule, CampaignRuleDraft } from "@/server/loyalty/rules/campaign-rule";
import { saveCampaignRule, saveCampaignRuleEnabled } from "@/server/loyalty/rules/campaign-rule-store";
import { inTransaction } from "@/server/sql";
import { recordAudit, type AuditActor } from "../audit/record-audit";

/**
 * An admin's changes to the campaign rules, each recorded in the audit log in the same transaction as the change: a
 * rule never changes without a record of who changed it, and a refused rule leaves neither.
 */
export async function createCampaignRule(options: { draft: CampaignRuleDraft; actor: AuditActor }): Promise<CampaignRule> {
  return inTransaction(async (tx) => {
    const rule = await saveCampaignRule(tx, options.draft);
    await recordAudit(
      {
        actor: options.actor,
        action: "create-campaign-rule",
        targetId: rule.id,
        outcome: `Created the ${rule.enabled ? "enabled" : "disabled"} rule “${rule.name}”.`,
        details: { rule },
      },
      tx,
    );
    return rule;
  });
}

/** Turns a rule on or off (the admin's `setEnabled`), audited like the other changes. */
export async function setCampaignRuleEnabled(options: { id: string; enabled: boolean; actor: AuditActor }): Promise<CampaignRule> {
  return inTransaction(async (tx) => {
    const rule = await saveCampaignRuleEnabled(tx, options.id, options.enabled);
    await recordAudit(
      {
        actor: options.actor,
        action: options.enabled ? "enable-campaign-rule" : "disable-campaign-rule",
        targetId: rule.id,
        outcome: `${options.enabled ? "Enabled" : "Disabled"} the rule “${rule.name}”.`,
      },
      tx,
    );
    return rule;
  });
}
