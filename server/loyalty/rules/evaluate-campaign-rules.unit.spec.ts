import { describe, expect, it } from "vitest";
import { campaignRuleSchema, type CampaignRule } from "./campaign-rule";
import { evaluateCampaignRules } from "./evaluate-campaign-rules";
import { CYBER_MONDAY_DOUBLE_RULE_ID, SEEDED_CAMPAIGN_RULES, THRESHOLD_100_RULE_ID } from "./seeded-campaign-rules";

const ORDINARY_DAY = new Date("2026-11-20T15:00:00Z");
const CYBER_MONDAY_NOON_NY = new Date("2026-11-30T17:00:00Z");
const BOTH = [THRESHOLD_100_RULE_ID, CYBER_MONDAY_DOUBLE_RULE_ID];

describe("the seeded rules", () => {
  it.each([
    ["$99.99 on an ordinary day", 9999, ORDINARY_DAY, 0, []],
    ["$100.00 on an ordinary day", 10000, ORDINARY_DAY, 100, [THRESHOLD_100_RULE_ID]],
    ["$120.00 on an ordinary day", 12000, ORDINARY_DAY, 100, [THRESHOLD_100_RULE_ID]],
    ["$120.00 on Cyber Monday", 12000, CYBER_MONDAY_NOON_NY, 200, BOTH],
    ["$99.99 on Cyber Monday (nothing to double)", 9999, CYBER_MONDAY_NOON_NY, 0, []],
    ["$100.00 at the window's start exactly", 10000, new Date("2026-11-30T05:00:00Z"), 200, BOTH],
    ["$100.00 1 ms before the window", 10000, new Date("2026-11-30T04:59:59.999Z"), 100, [THRESHOLD_100_RULE_ID]],
    ["$100.00 1 ms before the window ends", 10000, new Date("2026-12-01T04:59:59.999Z"), 200, BOTH],
    ["$100.00 at the window's end exactly", 10000, new Date("2026-12-01T05:00:00Z"), 100, [THRESHOLD_100_RULE_ID]],
  ] as const)("%s → %i points", (_label, amountCents, occurredAt, points, ruleIds) => {
    expect(evaluateCampaignRules(SEEDED_CAMPAIGN_RULES, { amountCents, occurredAt })).toEqual({ points, ruleIds });
  });
});

let nextId = 0;
function rule(fields: Record<string, unknown>): CampaignRule {
  nextId += 1;
  return campaignRuleSchema.parse({
    id: `00000000-0000-4000-8000-${String(nextId).padStart(12, "0")}`,
    name: `rule ${nextId}`,
    enabled: true,
    priority: 0,
    ...fields,
  });
}
const evaluate = (rules: CampaignRule[], amountCents: number) =>
  evaluateCampaignRules(rules, { amountCents, occurredAt: ORDINARY_DAY });

describe("percentage rules", () => {
  it.each([
    [10, 12000, 12], // 10% of $120.00
    [10, 12999, 12], // 10% of $129.99 = 12.999 → 12
    [10, 999, 0], // under a point earns nothing
    [12.5, 10000, 12], // 12.5 → floored
    [0.01, 1000000, 1], // 0.01% of $10,000
    [100, 4550, 45],
    [33.33, 300, 0], // 33.33% of $3.00 = 0.9999
    [33.33, 30000, 99], // 33.33% of $300.00 = 99.99
  ])("%s%% of %i cents → %i points", (percent, amountCents, points) => {
    expect(evaluate([rule({ kind: "percentage", percent })], amountCents).points).toBe(points);
  });
});

describe("combining rules", () => {
  it("earning rules do not add up: the highest priority wins even when it awards less", () => {
    const small = rule({ kind: "percentage", percent: 1, priority: 5 });
    const big = rule({ kind: "threshold", minAmountCents: 100, points: 500, priority: 1 });
    expect(evaluate([big, small], 50000)).toEqual({ points: 5, ruleIds: [small.id] });
  });

  it("a higher-priority rule that does not match leaves the next one to win", () => {
    const unmet = rule({ kind: "threshold", minAmountCents: 100000, points: 1000, priority: 9 });
    const met = rule({ kind: "threshold", minAmountCents: 100, points: 10, priority: 1 });
    expect(evaluate([unmet, met], 5000)).toEqual({ points: 10, ruleIds: [met.id] });
  });

  it("a higher-priority percentage that rounds to 0 points does not block a lower one", () => {
    const tiny = rule({ kind: "percentage", percent: 1, priority: 9 });
    const flat = rule({ kind: "threshold", minAmountCents: 100, points: 3, priority: 1 });
    expect(evaluate([tiny, flat], 500)).toEqual({ points: 3, ruleIds: [flat.id] });
  });

  it("on equal priority, the rule awarding more wins; then the smaller id, whatever the order given", () => {
    const less = rule({ kind: "threshold", minAmountCents: 100, points: 10 });
    const more = rule({ kind: "threshold", minAmountCents: 100, points: 20 });
    expect(evaluate([more, less], 5000).ruleIds).toEqual([more.id]);
    expect(evaluate([less, more], 5000).ruleIds).toEqual([more.id]);
    const twin = rule({ kind: "threshold", minAmountCents: 100, points: 20 });
    expect(evaluate([twin, more], 5000).ruleIds).toEqual([more.id]);
  });

  it("only the highest-priority multiplier applies (tie: the bigger factor)", () => {
    const earn = rule({ kind: "threshold", minAmountCents: 100, points: 10 });
    const triple = rule({ kind: "multiplier", factor: 3, priority: 1 });
    const double = rule({ kind: "multiplier", factor: 2, priority: 2 });
    const quadruple = rule({ kind: "multiplier", factor: 4, priority: 2 });
    expect(evaluate([earn, triple, double], 5000)).toEqual({ points: 20, ruleIds: [earn.id, double.id] });
    expect(evaluate([earn, double, quadruple, triple], 5000)).toEqual({ points: 40, ruleIds: [earn.id, quadruple.id] });
  });

  it("a multiplier alone earns nothing", () => {
    expect(evaluate([rule({ kind: "multiplier", factor: 2 })], 5000)).toEqual({ points: 0, ruleIds: [] });
  });

  it("disabled rules and rules outside their window are ignored", () => {
    const off = rule({ kind: "threshold", minAmountCents: 100, points: 99, priority: 9, enabled: false });
    const over = rule({ kind: "threshold", minAmountCents: 100, points: 98, priority: 8, activeUntil: "2026-01-01T00:00:00Z" });
    const notYet = rule({ kind: "multiplier", factor: 5, activeFrom: "2027-01-01T00:00:00Z" });
    const on = rule({ kind: "threshold", minAmountCents: 100, points: 1 });
    expect(evaluate([off, over, notYet, on], 5000)).toEqual({ points: 1, ruleIds: [on.id] });
  });

  it("no rules, no points", () => {
    expect(evaluate([], 5000)).toEqual({ points: 0, ruleIds: [] });
  });

  it("refuses an amount that is not whole cents", () => {
    expect(() => evaluate([], 10.5)).toThrow(RangeError);
  });
});
