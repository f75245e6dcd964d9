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
  lineage_id: string;
  version: number;
  superseded_by: string | null;
  retired_at: Date | null;
};

/** A stored version of a rule: the rule itself, and where it stands among its versions. */
export type StoredCampaignRule = CampaignRule & {
  /** The first version's id, shared by every version: what the audit log and the admin page name the rule by. */
  lineageId: string;
  version: number;
  /** The version that replaced this one; null for the current version. */
  supersededBy: string | null;
  retiredAt: Date | null;
};

/** The columns every query below reads, in RuleRow's shape. */
export const RULE_COLUMNS = sql`id, name, kind::text AS kind, settings, enabled, priority, active_from, active_until,
  lineage_id, version, superseded_by, retired_at`;

export function storedRuleOf(row: RuleRow): StoredCampaignRule {
  const rule = parseCampaignRule({
    ...row.settings,
    id: row.id,
    name: row.name,
    kind: row.kind,
    enabled: row.enabled,
    priority: row.priority,
    activeFrom: row.active_from,
    activeUntil: row.active_until,
  });
  return { ...rule, lineageId: row.lineage_id, version: row.version, supersededBy: row.superseded_by, retiredAt: row.retired_at };
}

export type { RuleRow };

export function settingsOf(rule: CampaignRuleDraft): Record<string, number> {
  switch (rule.kind) {
    case "threshold":
      return { minAmountCents: rule.minAmountCents, points: rule.points };
    case "percentage":
      return { percent: rule.percent };
    case "multiplier":
      return { factor: rule.factor };
  }
}

/** The current version of every rule (retired ones included), highest priority first: the admin list. */
export async function listCampaignRules(client: SqlClient): Promise<StoredCampaignRule[]> {
  const rows = await client.rows<RuleRow>(sql`
    SELECT ${RULE_COLUMNS} FROM loyalty_campaign_rules
     WHERE superseded_by IS NULL ORDER BY priority DESC, created_at, id`);
  return rows.map(storedRuleOf);
}

/**
 * What a purchase is evaluated against: the current version of each rule, switched on and not retired. A version an
 * edit replaced is never evaluated again, nor is a retired rule.
 */
export async function listEnabledCampaignRules(client: SqlClient): Promise<StoredCampaignRule[]> {
  const rows = await client.rows<RuleRow>(sql`
    SELECT ${RULE_COLUMNS} FROM loyalty_campaign_rules
     WHERE enabled AND superseded_by IS NULL AND retired_at IS NULL ORDER BY priority DESC, created_at, id`);
  return rows.map(storedRuleOf);
}

/**
 * Any versions by id, replaced or retired ones too: a PointsEarned event's ruleIds name the versions it was awarded
 * under, and these still say what those were. Ids that name no rule are left out.
 */
export async function findCampaignRuleVersions(client: SqlClient, ids: readonly string[]): Promise<StoredCampaignRule[]> {
  if (ids.length === 0) return [];
  const rows = await client.rows<RuleRow>(sql`
    SELECT ${RULE_COLUMNS} FROM loyalty_campaign_rules WHERE id = ANY(${[...ids]}::uuid[]) ORDER BY lineage_id, version`);
  return rows.map(storedRuleOf);
}

/**
 * Stores a rule as the first version of its own lineage (with the given id, or a new one), refusing it with
 * LOYALTY_RULE_INVALID if it is broken. Storing an id again (the seed, run twice) updates that row, unless an admin
 * has since edited or retired the rule: their versions are left as they are.
 */
export async function saveCampaignRule(client: SqlClient, draft: CampaignRuleDraft, id: string = randomUUID()): Promise<StoredCampaignRule> {
  const rule = parseCampaignRule({ ...draft, id });
  const rows = await client.rows<RuleRow>(sql`
    INSERT INTO loyalty_campaign_rules (id, name, kind, settings, enabled, priority, active_from, active_until)
    VALUES (${rule.id}::uuid, ${rule.name}, ${rule.kind}::loyalty_rule_kind, ${JSON.stringify(settingsOf(rule))}::jsonb,
            ${rule.enabled}, ${rule.priority}, ${rule.activeFrom ?? null}::timestamptz, ${rule.activeUntil ?? null}::timestamptz)
    ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, settings = EXCLUDED.settings,
      enabled = EXCLUDED.enabled, priority = EXCLUDED.priority, active_from = EXCLUDED.active_from,
      active_until = EXCLUDED.active_until, updated_at = now()
      WHERE loyalty_campaign_rules.superseded_by IS NULL AND loyalty_campaign_rules.retired_at IS NULL
    RETURNING ${RULE_COLUMNS}`);
  const [row] = rows.length > 0 ? rows : await client.rows<RuleRow>(sql`SELECT ${RULE_COLUMNS} FROM loyalty_campaign_rules WHERE id = ${rule.id}::uuid`);
  return storedRuleOf(row!);
}

/** One version, locked until the transaction ends (the changes below read it, decide, then write). */
export async function lockCampaignRule(client: SqlClient, id: string): Promise<StoredCampaignRule> {
  const [row] = await client.rows<RuleRow>(sql`SELECT ${RULE_COLUMNS} FROM loyalty_campaign_rules WHERE id = ${id}::uuid FOR UPDATE`);
  if (!row) throw new DomainError("NOT_FOUND", "There is no campaign rule with that id.", { field: "id" });
  return storedRuleOf(row);
}

/**
 * Turns a rule's current version on or off; setting the state it already has changes nothing (`changed` says which).
 * A replaced version is refused (the admin's page is out of date), and a retired rule cannot be turned back on.
 */
export async function saveCampaignRuleEnabled(
  client: SqlClient,
  id: string,
  enabled: boolean,
): Promise<{ rule: StoredCampaignRule; changed: boolean }> {
  const rule = await lockCampaignRule(client, id);
  refuseReplaced(rule);
  if (rule.enabled === enabled) return { rule, changed: false };
  if (rule.retiredAt) throw new DomainError("LOYALTY_RULE_INVALID", "This rule is retired: it cannot be turned back on.", { field: "id" });
  const [row] = await client.rows<RuleRow>(sql`
    UPDATE loyalty_campaign_rules SET enabled = ${enabled}, updated_at = now() WHERE id = ${id}::uuid RETURNING ${RULE_COLUMNS}`);
  return { rule: storedRuleOf(row!), changed: true };
}

/** Changes go to a rule's current version only: one an edit replaced is history, kept for the awards that name it. */
export function refuseReplaced(rule: StoredCampaignRule): void {
  if (rule.supersededBy) {
    throw new DomainError("LOYALTY_RULE_INVALID", `Version ${rule.version} of “${rule.name}” has been replaced by a newer one: reload the rules.`, {
      field: "id",
    });
  }
}
