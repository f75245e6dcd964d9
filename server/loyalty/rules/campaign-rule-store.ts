import { randomUUID } from "node:crypto";
import { DomainError } from "@/server/errors";
import { sql, type SqlClient } from "@/server/sql";
import { parseCampaignRule, type CampaignRule, type CampaignRuleDraft } from "./campaign-rule";

/**
 * Campaign rules in PostgreSQL: the common fields as columns, the kind's own numbers in `settings`. Every rule is
 * parsed on the way in and on the way out, so a broken one can neither be saved nor applied.
 */

type RuleRow = {
  id: string;
  name: string;
  kind: CampaignRule["kind"];
  settings: Record<string, unknown>;
  enabled: boolean;
  priority: number;
  active_from: Date | null;
  active_until: Date | null;
};

function ruleOf(row: RuleRow): CampaignRule {
  return parseCampaignRule({
    ...row.settings,
    id: row.id,
    name: row.name,
    kind: row.kind,
    enabled: row.enabled,
    priority: row.priority,
    activeFrom: row.active_from,
    activeUntil: row.active_until,
  });
}

function settingsOf(rule: CampaignRuleDraft): Record<string, number> {
  switch (rule.kind) {
    case "threshold":
      return { minAmountCents: rule.minAmountCents, points: rule.points };
    case "percentage":
      return { percent: rule.percent };
    case "multiplier":
      return { factor: rule.factor };
  }
}

/** Every rule, highest priority first (the admin list). */
export async function listCampaignRules(client: SqlClient): Promise<CampaignRule[]> {
  const rows = await client.rows<RuleRow>(sql`
    SELECT id, name, kind::text AS kind, settings, enabled, priority, active_from, active_until
      FROM loyalty_campaign_rules ORDER BY priority DESC, created_at, id`);
  return rows.map(ruleOf);
}

/** Only the enabled rules: what a purchase is evaluated against. */
export async function listEnabledCampaignRules(client: SqlClient): Promise<CampaignRule[]> {
  return (await listCampaignRules(client)).filter((rule) => rule.enabled);
}

/** Stores a rule (with the given id, or a new one), refusing it with LOYALTY_RULE_INVALID if it is broken. */
export async function saveCampaignRule(client: SqlClient, draft: CampaignRuleDraft, id: string = randomUUID()): Promise<CampaignRule> {
  const rule = parseCampaignRule({ ...draft, id });
  await client.count(sql`
    INSERT INTO loyalty_campaign_rules (id, name, kind, settings, enabled, priority, active_from, active_until)
    VALUES (${rule.id}::uuid, ${rule.name}, ${rule.kind}::loyalty_rule_kind, ${JSON.stringify(settingsOf(rule))}::jsonb,
            ${rule.enabled}, ${rule.priority}, ${rule.activeFrom ?? null}::timestamptz, ${rule.activeUntil ?? null}::timestamptz)
    ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, settings = EXCLUDED.settings,
      enabled = EXCLUDED.enabled, priority = EXCLUDED.priority, active_from = EXCLUDED.active_from,
      active_until = EXCLUDED.active_until, updated_at = now()`);
  return rule;
}

/** Turns a rule on or off; setting the state it already has changes nothing. */
export async function saveCampaignRuleEnabled(client: SqlClient, id: string, enabled: boolean): Promise<CampaignRule> {
  const rows = await client.rows<RuleRow>(sql`
    UPDATE loyalty_campaign_rules SET enabled = ${enabled}, updated_at = now() WHERE id = ${id}::uuid
    RETURNING id, name, kind::text AS kind, settings, enabled, priority, active_from, active_until`);
  const [row] = rows;
  if (!row) throw new DomainError("NOT_FOUND", "There is no campaign rule with that id.", { field: "id" });
  return ruleOf(row);
}
