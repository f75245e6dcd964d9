import { campaignRuleSchema, type CampaignRule } from "./campaign-rule";

/** Stable ids, so seeding twice updates the same rows and events can name the rules. */
export const THRESHOLD_100_RULE_ID = "7f3c2a10-5b1e-4c6d-9a8f-1e2d3c4b5a60";
export const CYBER_MONDAY_DOUBLE_RULE_ID = "b8e4d2c1-3a5f-4e7b-8c9d-0f1a2b3c4d5e";

/**
 * The shop's launch campaigns. Cyber Monday 2026 is 30 November; its window is that day in New York
 * (EST, UTC−5): 2026-11-30T05:00Z up to, not including, 2026-12-01T05:00Z.
 */
export function seededCampaignRules(): CampaignRule[] {
  // Parsed, so a typo here fails the first test rather than a customer's purchase.
  return [
    campaignRuleSchema.parse({
      id: THRESHOLD_100_RULE_ID,
      kind: "threshold",
      name: "100 points for any purchase of $100 or more",
      enabled: true,
      priority: 10,
      minAmountCents: 100_00,
      points: 100,
    }),
    campaignRuleSchema.parse({
      id: CYBER_MONDAY_DOUBLE_RULE_ID,
      kind: "multiplier",
      name: "Cyber Monday double points",
      enabled: true,
      priority: 10,
      factor: 2,
      activeFrom: "2026-11-30T05:00:00Z",
      activeUntil: "2026-12-01T05:00:00Z",
    }),
  ];
}

/** The same rules as a constant, for code that only reads them (a fresh copy comes from `seededCampaignRules`). */
export const SEEDED_CAMPAIGN_RULES: readonly CampaignRule[] = Object.freeze(seededCampaignRules());
