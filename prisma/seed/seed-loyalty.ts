import { db } from "@/server/db";
import { handlePointCommand } from "@/server/loyalty/event-store/handle-point-command";
import { saveCampaignRule } from "@/server/loyalty/rules/campaign-rule-store";
import { seededCampaignRules } from "@/server/loyalty/rules/seeded-campaign-rules";
import { saveRedemptionRule } from "@/server/loyalty/rules/redemption-rule-store";
import { SEEDED_REDEMPTION_RULE } from "@/server/loyalty/rules/seeded-redemption-rule";
import { sqlPool } from "@/server/sql";
import type { DemoCustomer } from "./demo-data";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The Loyalty side of the demo: the launch campaign rules and redemption rule, and a welcome-back gift that expires
 * soon for the demo customers who have one (so "expiring soon" has something to show). Idempotent: rules are
 * upserted by their stable ids (the redemption rule is its one row), and each gift is a message acted on once, so
 * seeding again neither doubles it nor moves its expiry.
 */
export async function seedLoyalty(options: {
  customers: { id: string; demo: DemoCustomer }[];
  now: Date;
}): Promise<{ rules: number; gifts: number }> {
  const rules = seededCampaignRules();
  for (const rule of rules) await saveCampaignRule(sqlPool, rule, rule.id);
  await saveRedemptionRule(sqlPool, SEEDED_REDEMPTION_RULE);

  let gifts = 0;
  for (const { id, demo } of options.customers) {
    const gift = demo.welcomeBackGift;
    if (!gift) continue;
    await handlePointCommand({
      customerId: id,
      messageId: `seed:welcome:${id}`,
      now: options.now,
      command: {
        type: "AdjustPoints",
        data: {
          // The adjustment id becomes the lot id, which is unique across customers.
          adjustmentId: `welcome-back:${id}`,
          points: gift.points,
          reason: gift.reason,
          adjustedBy: "seed",
          expiresAt: new Date(options.now.getTime() + gift.expiresInDays * DAY_MS),
        },
      },
    });
    gifts++;
  }
  return { rules: rules.length, gifts };
}

/** Loyalty's checkpoints come with the schema (one row per projection): a reset rewinds them, never empties them. */
export const PROJECTION_CHECKPOINTS_TABLE = "loyalty_projection_checkpoints";

/** Every projection back to the start of the (emptied) log, so the worker projects the seeded events afresh. */
export function rewindProjectionCheckpoints() {
  return db.$executeRaw`
    UPDATE loyalty_projection_checkpoints SET position = 0, updated_at = now()`;
}
