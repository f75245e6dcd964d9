import { isRuleActive, type CampaignRule } from "./campaign-rule";

export type PurchaseForRules = { amountCents: number; occurredAt: Date };
/** Points a purchase earns and the ids of the rules that gave them (earning rule first, then the multiplier). */
export type RulesOutcome = { points: number; ruleIds: string[] };

type EarningRule = Extract<CampaignRule, { kind: "threshold" | "percentage" }>;
type MultiplierRule = Extract<CampaignRule, { kind: "multiplier" }>;

/**
 * Points a purchase earns under the campaign rules. Only rules enabled and active at `occurredAt` count. Then:
 *
 * 1. Earning rules (threshold, percentage) do not add up: one wins. Among those that would award at least one
 *    point, the highest priority wins; on a tie, the one awarding more points; then the smaller id (so the outcome
 *    never depends on the order the rules were loaded in).
 * 2. If one won, the active multiplier with the highest priority (tie: bigger factor, then smaller id) multiplies
 *    its points. A multiplier alone earns nothing.
 *
 * Nothing matching → `{ points: 0, ruleIds: [] }`.
 */
export function evaluateCampaignRules(rules: readonly CampaignRule[], purchase: PurchaseForRules): RulesOutcome {
  if (!Number.isSafeInteger(purchase.amountCents) || purchase.amountCents < 0) {
    throw new RangeError(`evaluateCampaignRules expects whole cents, got ${purchase.amountCents}`);
  }
  const active = rules.filter((rule) => isRuleActive(rule, purchase.occurredAt));

  const earning = active
    .filter((rule): rule is EarningRule => rule.kind !== "multiplier")
    .map((rule) => ({ rule, points: pointsOf(rule, purchase.amountCents) }))
    .filter((candidate) => candidate.points > 0)
    .sort((a, b) => b.rule.priority - a.rule.priority || b.points - a.points || byId(a.rule, b.rule))[0];
  if (!earning) return { points: 0, ruleIds: [] };

  const multiplier = active
    .filter((rule): rule is MultiplierRule => rule.kind === "multiplier")
    .sort((a, b) => b.priority - a.priority || b.factor - a.factor || byId(a, b))[0];
  if (!multiplier) return { points: earning.points, ruleIds: [earning.rule.id] };
  return { points: earning.points * multiplier.factor, ruleIds: [earning.rule.id, multiplier.id] };
}

/** What one earning rule alone awards for an amount. */
export function pointsOf(rule: EarningRule, amountCents: number): number {
  if (rule.kind === "threshold") return amountCents >= rule.minAmountCents ? rule.points : 0;
  // percent has at most two decimals, so percent × 100 is whole and the product stays exact integer arithmetic:
  // points = floor(dollars × percent / 100) = floor(cents × (percent × 100) / 1,000,000).
  const product = amountCents * Math.round(rule.percent * 100);
  return (product - (product % 1_000_000)) / 1_000_000;
}

function byId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
