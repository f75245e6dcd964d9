import { z } from "zod";
import { INSTANT_RANGE_MESSAGE, isSaneInstant, MAX_INT32, storableText } from "@/server/safe-input";
import { instantSchema } from "@/server/loyalty/points/point-events";
import { parseRuleOrRefuse } from "./refuse-invalid-rule";

/**
 * Campaign rules are data an admin edits, never code: a `kind` and its numbers. A rule that could not be applied
 * sensibly (0 points, 150 percent, a window ending before it starts) cannot be parsed, so it cannot be stored.
 *
 * - threshold:  a purchase of at least `minAmountCents` earns `points`.
 * - percentage: earns `percent`% of the amount in dollars, rounded down (10% of $120.00 → 12 points).
 * - multiplier: multiplies what the winning earning rule awards (Cyber Monday double points: factor 2).
 *
 * A rule is active at `t` when it is enabled and activeFrom ≤ t < activeUntil (either end may be open).
 * How rules combine is described in evaluate-campaign-rules.ts.
 */

const commonFields = {
  name: z.string().trim().min(1, "Give the rule a name.").max(80, "Keep the name to 80 characters.").refine(...storableText),
  enabled: z.boolean(),
  /** Higher wins. */
  priority: z
    .number()
    .int("The priority is a whole number.")
    .min(-1_000_000, "The priority goes down to -1,000,000.")
    .max(1_000_000, "The priority goes up to 1,000,000."),
  activeFrom: instantSchema.refine(isSaneInstant, INSTANT_RANGE_MESSAGE).nullish(),
  activeUntil: instantSchema.refine(isSaneInstant, INSTANT_RANGE_MESSAGE).nullish(),
};

const thresholdDraft = z.object({
  ...commonFields,
  kind: z.literal("threshold"),
  minAmountCents: z
    .number()
    .int()
    .min(1, "The minimum purchase must be at least 1 cent.")
    .max(MAX_INT32, "The minimum purchase is too large."),
  // With a multiplier of up to 10 this stays within what one event may carry (server/loyalty/points/point-limits.ts).
  points: z.number().int().min(1, "A threshold rule awards at least 1 point.").max(100_000, "A threshold rule awards at most 100,000 points."),
});

const percentageDraft = z.object({
  ...commonFields,
  kind: z.literal("percentage"),
  percent: z
    .number()
    .gt(0, "The percentage must be more than 0.")
    .max(100, "The percentage can be at most 100.")
    .refine(hasAtMostTwoDecimals, "Use at most two decimals, like 12.5 or 2.25."),
});

const multiplierDraft = z.object({
  ...commonFields,
  kind: z.literal("multiplier"),
  factor: z.number().int().min(2, "A multiplier multiplies by 2 or more.").max(10, "A multiplier goes up to 10."),
});

const windowIsOrdered = (rule: { activeFrom?: Date | null; activeUntil?: Date | null }) =>
  !rule.activeFrom || !rule.activeUntil || rule.activeUntil.getTime() > rule.activeFrom.getTime();
const windowMessage = { message: "The rule must end after it starts.", path: ["activeUntil"] };

/** What an admin submits to create a rule (the id is given when it is stored). */
export const campaignRuleDraftSchema = z
  .discriminatedUnion("kind", [thresholdDraft, percentageDraft, multiplierDraft])
  .refine(windowIsOrdered, windowMessage);

const idField = { id: z.uuid("That is not a campaign rule id.") };

/** A stored campaign rule. */
export const campaignRuleSchema = z
  .discriminatedUnion("kind", [
    thresholdDraft.extend(idField),
    percentageDraft.extend(idField),
    multiplierDraft.extend(idField),
  ])
  .refine(windowIsOrdered, windowMessage);

/** What an admin submits to edit a rule: the version edited (its id) and the fields of the next version. */
export const campaignRuleEditSchema = campaignRuleSchema;

export type CampaignRuleDraft = z.infer<typeof campaignRuleDraftSchema>;
export type CampaignRule = z.infer<typeof campaignRuleSchema>;
export type CampaignRuleKind = CampaignRule["kind"];

/** Reads a stored rule, or refuses it with LOYALTY_RULE_INVALID naming what is wrong. */
export function parseCampaignRule(input: unknown): CampaignRule {
  return parseRuleOrRefuse(campaignRuleSchema, input, "This campaign rule is not valid.");
}

/** True when enabled and `at` is inside the half-open window [activeFrom, activeUntil). */
export function isRuleActive(rule: CampaignRule, at: Date): boolean {
  const t = at.getTime();
  return (
    rule.enabled &&
    (!rule.activeFrom || rule.activeFrom.getTime() <= t) &&
    (!rule.activeUntil || t < rule.activeUntil.getTime())
  );
}

/** 12.5 → true; 1.234 → false. Compared in hundredths so 0.1-style float noise does not reject 12.34. */
function hasAtMostTwoDecimals(value: number): boolean {
  const hundredths = value * 100;
  return Math.abs(hundredths - Math.round(hundredths)) < 1e-9;
}
