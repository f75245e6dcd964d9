/**
 * What a campaign rule is doing now, in one word an operator reads at a glance. Pure (the clock comes in), and safe
 * to import in the browser.
 *
 * - retired:   an admin retired it; it is never applied again and cannot be turned back on.
 * - ended:     its window closed (activeUntil has passed), whatever its switch says.
 * - scheduled: its window has not opened yet (activeFrom is in the future).
 * - on / off:  inside its window (or it has none), as its switch says.
 */
export const CAMPAIGN_RULE_STATES = ["on", "off", "scheduled", "ended", "retired"] as const;
export type CampaignRuleState = (typeof CAMPAIGN_RULE_STATES)[number];

export const CAMPAIGN_RULE_STATE_WORDS = {
  on: "On",
  off: "Off",
  scheduled: "Scheduled",
  ended: "Ended",
  retired: "Retired",
} as const satisfies Record<CampaignRuleState, string>;

type StateInputs = {
  enabled: boolean;
  activeFrom?: Date | null;
  activeUntil?: Date | null;
  retiredAt?: Date | null;
};

/** The rule's state at `now`; the window is half-open, [activeFrom, activeUntil), as the evaluation reads it. */
export function campaignRuleStateAt(rule: StateInputs, now: Date): CampaignRuleState {
  if (rule.retiredAt) return "retired";
  const t = now.getTime();
  if (rule.activeUntil && rule.activeUntil.getTime() <= t) return "ended";
  if (rule.activeFrom && rule.activeFrom.getTime() > t) return "scheduled";
  return rule.enabled ? "on" : "off";
}
