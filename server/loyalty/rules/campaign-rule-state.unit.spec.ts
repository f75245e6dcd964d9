import { describe, expect, it } from "vitest";
import { CAMPAIGN_RULE_STATE_WORDS, campaignRuleStateAt } from "./campaign-rule-state";

const NOW = new Date("2026-12-06T12:00:00Z");
const at = (iso: string) => new Date(iso);

describe("campaignRuleStateAt", () => {
  it.each([
    ["on, with no window", { enabled: true }, "on"],
    ["off, with no window", { enabled: false }, "off"],
    ["inside its window", { enabled: true, activeFrom: at("2026-12-01T00:00:00Z"), activeUntil: at("2026-12-31T00:00:00Z") }, "on"],
    ["Cyber Monday, ended on 1 December though still switched on", { enabled: true, activeFrom: at("2026-11-30T05:00:00Z"), activeUntil: at("2026-12-01T05:00:00Z") }, "ended"],
    ["ending exactly now (the window is half-open)", { enabled: true, activeUntil: NOW }, "ended"],
    ["starting exactly now", { enabled: true, activeFrom: NOW }, "on"],
    ["not started yet", { enabled: true, activeFrom: at("2026-12-24T00:00:00Z") }, "scheduled"],
    ["not started yet and switched off", { enabled: false, activeFrom: at("2026-12-24T00:00:00Z") }, "scheduled"],
    ["retired, whatever its window", { enabled: false, retiredAt: at("2026-12-05T00:00:00Z"), activeFrom: at("2026-12-24T00:00:00Z") }, "retired"],
  ] as const)("%s → %s", (_, rule, state) => {
    expect(campaignRuleStateAt(rule, NOW)).toBe(state);
  });

  it("names each state in a word", () => {
    expect(Object.values(CAMPAIGN_RULE_STATE_WORDS)).toEqual(["On", "Off", "Scheduled", "Ended", "Retired"]);
  });
});
