import { describe, expect, it } from "vitest";
import { DomainError } from "@/server/errors";
import { campaignRuleDraftSchema, campaignRuleSchema, isRuleActive, parseCampaignRule } from "./campaign-rule";
import { CYBER_MONDAY_DOUBLE_RULE_ID, SEEDED_CAMPAIGN_RULES, THRESHOLD_100_RULE_ID } from "./seeded-campaign-rules";

const threshold = {
  id: "0b0e8a4c-6a8e-4f43-9d3c-2f6a3b1d9e01",
  kind: "threshold",
  name: "Big spender",
  enabled: true,
  priority: 1,
  minAmountCents: 5000,
  points: 10,
};

describe("campaignRuleSchema", () => {
  it("accepts a well-formed rule of each kind", () => {
    expect(campaignRuleSchema.safeParse(threshold).success).toBe(true);
    expect(campaignRuleSchema.safeParse({ ...threshold, kind: "percentage", percent: 12.5 }).success).toBe(true);
    expect(campaignRuleSchema.safeParse({ ...threshold, kind: "multiplier", factor: 3 }).success).toBe(true);
  });

  it.each([
    ["threshold 0 points", { ...threshold, points: 0 }],
    ["threshold minimum 0", { ...threshold, minAmountCents: 0 }],
    ["fractional points", { ...threshold, points: 1.5 }],
    ["threshold 3,000,000,000 points (more than any read model holds)", { ...threshold, points: 3_000_000_000 }],
    ["threshold 100,001 points", { ...threshold, points: 100_001 }],
    ["priority 3,000,000,000", { ...threshold, priority: 3_000_000_000 }],
    ["percent 0", { ...threshold, kind: "percentage", percent: 0 }],
    ["percent 150", { ...threshold, kind: "percentage", percent: 150 }],
    ["percent 1.234", { ...threshold, kind: "percentage", percent: 1.234 }],
    ["multiplier 1", { ...threshold, kind: "multiplier", factor: 1 }],
    ["multiplier 11", { ...threshold, kind: "multiplier", factor: 11 }],
    ["reversed window", { ...threshold, activeFrom: "2026-12-01T00:00:00Z", activeUntil: "2026-11-30T00:00:00Z" }],
    ["empty window", { ...threshold, activeFrom: "2026-12-01T00:00:00Z", activeUntil: "2026-12-01T00:00:00Z" }],
    ["empty name", { ...threshold, name: "  " }],
    ["81-character name", { ...threshold, name: "x".repeat(81) }],
    ["unknown kind", { ...threshold, kind: "lottery" }],
    ["code instead of data", { ...threshold, kind: "script", code: "return 1000" }],
  ])("refuses %s", (_label, rule) => {
    expect(campaignRuleSchema.safeParse(rule).success).toBe(false);
  });

  it("accepts percentages with up to two decimals at the edges", () => {
    for (const percent of [0.01, 12.34, 100]) {
      expect(campaignRuleSchema.safeParse({ ...threshold, kind: "percentage", percent }).success).toBe(true);
    }
  });

  it("the draft schema is the same rule without an id", () => {
    const { id: _id, ...draft } = threshold;
    expect(campaignRuleDraftSchema.parse(draft)).toEqual(draft);
    expect(campaignRuleDraftSchema.safeParse({ ...draft, points: 0 }).success).toBe(false);
  });
});

describe("parseCampaignRule", () => {
  it("says what is wrong with a broken rule, as LOYALTY_RULE_INVALID", () => {
    const error = (() => {
      try {
        parseCampaignRule({ ...threshold, activeFrom: "2026-12-01T00:00:00Z", activeUntil: "2026-11-01T00:00:00Z" });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: "LOYALTY_RULE_INVALID", field: "activeUntil", message: "The rule must end after it starts." });
  });
});

describe("isRuleActive", () => {
  const rule = campaignRuleSchema.parse({ ...threshold, activeFrom: "2026-11-30T05:00:00Z", activeUntil: "2026-12-01T05:00:00Z" });
  it.each([
    ["2026-11-30T04:59:59.999Z", false],
    ["2026-11-30T05:00:00Z", true],
    ["2026-12-01T04:59:59.999Z", true],
    ["2026-12-01T05:00:00Z", false],
  ])("at %s: %s (half-open window)", (iso, active) => {
    expect(isRuleActive(rule, new Date(iso))).toBe(active);
  });

  it("a disabled rule is never active", () => {
    expect(isRuleActive({ ...rule, enabled: false }, new Date("2026-11-30T12:00:00Z"))).toBe(false);
  });
});

describe("seeded campaign rules", () => {
  it("are the $100 threshold and Cyber Monday double points, with stable ids", () => {
    expect(SEEDED_CAMPAIGN_RULES.map((rule) => [rule.id, rule.kind, rule.priority])).toEqual([
      [THRESHOLD_100_RULE_ID, "threshold", 10],
      [CYBER_MONDAY_DOUBLE_RULE_ID, "multiplier", 10],
    ]);
  });
});
