import { campaignRuleStateAt, type CampaignRuleState } from "@/server/loyalty/rules/campaign-rule-state";
import { listCampaignRules, type StoredCampaignRule } from "@/server/loyalty/rules/campaign-rule-store";
import { sqlPool } from "@/server/sql";

export type CampaignRuleListRow = StoredCampaignRule & { state: CampaignRuleState };

/** The admin's list of rules (each one's current version), with what each is doing at `now` in one word. */
export async function listCampaignRuleViews(options: { now: Date }): Promise<CampaignRuleListRow[]> {
  const rules = await listCampaignRules(sqlPool);
  return rules.map((rule) => ({ ...rule, state: campaignRuleStateAt(rule, options.now) }));
}
