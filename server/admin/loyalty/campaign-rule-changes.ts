import type { CampaignRuleDraft } from "@/server/loyalty/rules/campaign-rule";
import { saveCampaignRule, saveCampaignRuleEnabled, type StoredCampaignRule } from "@/server/loyalty/rules/campaign-rule-store";
import { saveCampaignRuleRetired, saveCampaignRuleVersion } from "@/server/loyalty/rules/campaign-rule-versions";
import { inTransaction } from "@/server/sql";
import { CAMPAIGN_RULE_ACTIONS } from "../audit/audit-actions";
import { recordAudit, type AuditActor } from "../audit/record-audit";

/**
 * An admin's changes to the campaign rules, each recorded in the audit log in the same transaction as the change: a
 * rule never changes without a record of who changed it, and a refused rule leaves neither. The audit line's target
 * is the rule's lineage (its first version's id), so one rule's lines stay together across its versions; the version
 * acted on is in the details.
 */
export async function createCampaignRule(options: { draft: CampaignRuleDraft; actor: AuditActor }): Promise<StoredCampaignRule> {
  return inTransaction(async (tx) => {
    const rule = await saveCampaignRule(tx, options.draft);
    await recordAudit(
      {
        actor: options.actor,
        action: CAMPAIGN_RULE_ACTIONS.create,
        targetId: rule.lineageId,
        outcome: `Created the ${rule.enabled ? "enabled" : "disabled"} rule “${rule.name}”.`,
        details: { rule },
      },
      tx,
    );
    return rule;
  });
}

/** Turns a rule on or off (the admin's `setEnabled`), audited like the other changes; asked twice, says so. */
export async function setCampaignRuleEnabled(options: { id: string; enabled: boolean; actor: AuditActor }): Promise<StoredCampaignRule> {
  return inTransaction(async (tx) => {
    const { rule, changed } = await saveCampaignRuleEnabled(tx, options.id, options.enabled);
    const words = options.enabled ? "Enabled" : "Disabled";
    await recordAudit(
      {
        actor: options.actor,
        action: options.enabled ? CAMPAIGN_RULE_ACTIONS.enable : CAMPAIGN_RULE_ACTIONS.disable,
        targetId: rule.lineageId,
        outcome: changed
          ? `${words} the rule “${rule.name}”.`
          : `The rule “${rule.name}” was already ${options.enabled ? "on" : "off"}: nothing changed.`,
        details: { ruleId: rule.id, version: rule.version },
      },
      tx,
    );
    return rule;
  });
}

export type CampaignRuleEdit = { rule: StoredCampaignRule; changed: boolean; message: string };

/**
 * Edits a rule: a new version with the draft's fields, the old one kept for the purchases awarded under it. A draft
 * equal to the current version makes no new version and says so.
 */
export async function updateCampaignRule(options: { id: string; draft: CampaignRuleDraft; actor: AuditActor }): Promise<CampaignRuleEdit> {
  return inTransaction(async (tx) => {
    const { rule, previous, changed } = await saveCampaignRuleVersion(tx, options.id, options.draft);
    const message = changed
      ? `Edited “${rule.name}”: version ${rule.version} replaces version ${previous.version}.`
      : `“${rule.name}” already reads like that: nothing changed (still version ${rule.version}).`;
    await recordAudit(
      {
        actor: options.actor,
        action: CAMPAIGN_RULE_ACTIONS.edit,
        targetId: rule.lineageId,
        outcome: message,
        details: { ruleId: rule.id, version: rule.version, previousRuleId: previous.id, ...(changed ? { before: previous, after: rule } : {}) },
      },
      tx,
    );
    return { rule, changed, message };
  });
}

/** Retires a rule for good (never applied again, cannot be turned back on); retiring it again changes nothing. */
export async function retireCampaignRule(options: { id: string; actor: AuditActor; now?: Date }): Promise<CampaignRuleEdit> {
  return inTransaction(async (tx) => {
    const { rule, changed } = await saveCampaignRuleRetired(tx, options.id, options.now ?? new Date());
    const message = changed ? `Retired the rule “${rule.name}”.` : `The rule “${rule.name}” was already retired: nothing changed.`;
    await recordAudit(
      {
        actor: options.actor,
        action: CAMPAIGN_RULE_ACTIONS.retire,
        targetId: rule.lineageId,
        outcome: message,
        details: { ruleId: rule.id, version: rule.version },
      },
      tx,
    );
    return { rule, changed, message };
  });
}
