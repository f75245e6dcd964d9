import { randomUUID } from "node:crypto";
import { DomainError } from "@/server/errors";
import { sql, type SqlClient } from "@/server/sql";
import { parseCampaignRule, type CampaignRuleDraft } from "./campaign-rule";
import { lockCampaignRule, refuseReplaced, RULE_COLUMNS, settingsOf, storedRuleOf, type RuleRow, type StoredCampaignRule } from "./campaign-rule-store";

/**
 * Editing and retiring a campaign rule. Neither rewrites a version a purchase may have been awarded under: an edit
 * adds the next version (same lineage, version + 1) and marks the one it replaces, and retiring only stamps the
 * current version. Both run inside the caller's transaction, the row locked first, so two admins racing cannot both
 * add a version 2 or both retire.
 */

/** The fields an edit can change, as stored: equal drafts make no new version. */
function contentOf(rule: CampaignRuleDraft) {
  return JSON.stringify({
    name: rule.name,
    kind: rule.kind,
    enabled: rule.enabled,
    priority: rule.priority,
    activeFrom: rule.activeFrom?.getTime() ?? null,
    activeUntil: rule.activeUntil?.getTime() ?? null,
    settings: settingsOf(rule),
  });
}

/**
 * The next version of rule `id` (its current version) with `draft`'s fields, or the current version unchanged when
 * the draft says nothing new (`changed: false`). A retired rule cannot be edited.
 */
export async function saveCampaignRuleVersion(
  client: SqlClient,
  id: string,
  draft: CampaignRuleDraft,
): Promise<{ rule: StoredCampaignRule; previous: StoredCampaignRule; changed: boolean }> {
  const previous = await lockCampaignRule(client, id);
  refuseReplaced(previous);
  if (previous.retiredAt) throw new DomainError("LOYALTY_RULE_INVALID", "This rule is retired: it cannot be edited.", { field: "id" });
  const next = parseCampaignRule({ ...draft, id: randomUUID() });
  if (contentOf(next) === contentOf(previous)) return { rule: previous, previous, changed: false };
  // The old version points at the new one first (the foreign key is checked at commit), so there is never a moment
  // with two current versions, which the partial unique index would refuse.
  await client.count(sql`
    UPDATE loyalty_campaign_rules SET superseded_by = ${next.id}::uuid, updated_at = now() WHERE id = ${previous.id}::uuid`);
  const [row] = await client.rows<RuleRow>(sql`
    INSERT INTO loyalty_campaign_rules (id, name, kind, settings, enabled, priority, active_from, active_until, lineage_id, version)
    VALUES (${next.id}::uuid, ${next.name}, ${next.kind}::loyalty_rule_kind, ${JSON.stringify(settingsOf(next))}::jsonb,
            ${next.enabled}, ${next.priority}, ${next.activeFrom ?? null}::timestamptz, ${next.activeUntil ?? null}::timestamptz,
            ${previous.lineageId}::uuid, ${previous.version + 1})
    RETURNING ${RULE_COLUMNS}`);
  return { rule: storedRuleOf(row!), previous: { ...previous, supersededBy: next.id }, changed: true };
}

/** Retires rule `id` (its current version) at `now`: switched off for good. Retiring it again changes nothing. */
export async function saveCampaignRuleRetired(
  client: SqlClient,
  id: string,
  now: Date,
): Promise<{ rule: StoredCampaignRule; changed: boolean }> {
  const rule = await lockCampaignRule(client, id);
  refuseReplaced(rule);
  if (rule.retiredAt) return { rule, changed: false };
  const [row] = await client.rows<RuleRow>(sql`
    UPDATE loyalty_campaign_rules SET retired_at = ${now}::timestamptz, enabled = false, updated_at = now()
     WHERE id = ${id}::uuid RETURNING ${RULE_COLUMNS}`);
  return { rule: storedRuleOf(row!), changed: true };
}
