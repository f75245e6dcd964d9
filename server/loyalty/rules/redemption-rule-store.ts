import { sql, type SqlClient } from "@/server/sql";
import { parseRedemptionRule, type RedemptionRule } from "./redemption-rule";
import { SEEDED_REDEMPTION_RULE } from "./seeded-redemption-rule";

/**
 * The redemption rule in PostgreSQL: one row (`loyalty_redemption_rule`, id 1), parsed on the way in and on the way
 * out. With no row stored, the launch rule applies.
 */

export type StoredRedemptionRule = RedemptionRule & { updatedAt: Date | null };

type RuleRow = { points_per_step: number; cents_per_step: number; max_discount_percent: number; updated_at: Date };

/** The rule in force now. `forUpdate` locks it, so that a change and its audit line see the rule they replace. */
export async function readRedemptionRule(client: SqlClient, options: { forUpdate?: boolean } = {}): Promise<StoredRedemptionRule> {
  const rows = await client.rows<RuleRow>(
    options.forUpdate
      ? sql`SELECT points_per_step, cents_per_step, max_discount_percent, updated_at FROM loyalty_redemption_rule WHERE id = 1 FOR UPDATE`
      : sql`SELECT points_per_step, cents_per_step, max_discount_percent, updated_at FROM loyalty_redemption_rule WHERE id = 1`,
  );
  const [row] = rows;
  if (!row) return { ...SEEDED_REDEMPTION_RULE, updatedAt: null };
  const rule = parseRedemptionRule({
    pointsPerStep: row.points_per_step,
    centsPerStep: row.cents_per_step,
    maxDiscountPercent: row.max_discount_percent,
  });
  return { ...rule, updatedAt: row.updated_at };
}

/** Stores the rule in force from now on, refusing it with LOYALTY_RULE_INVALID if it is broken. */
export async function saveRedemptionRule(client: SqlClient, input: RedemptionRule): Promise<StoredRedemptionRule> {
  const rule = parseRedemptionRule(input);
  const [row] = await client.rows<{ updated_at: Date }>(sql`
    INSERT INTO loyalty_redemption_rule (id, points_per_step, cents_per_step, max_discount_percent)
    VALUES (1, ${rule.pointsPerStep}, ${rule.centsPerStep}, ${rule.maxDiscountPercent})
    ON CONFLICT (id) DO UPDATE SET points_per_step = EXCLUDED.points_per_step, cents_per_step = EXCLUDED.cents_per_step,
      max_discount_percent = EXCLUDED.max_discount_percent, updated_at = now()
    RETURNING updated_at`);
  return { ...rule, updatedAt: row?.updated_at ?? null };
}
