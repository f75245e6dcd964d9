import "@/app/_lib/zod-in-the-browser";
import { campaignRuleDraftSchema } from "@/server/loyalty/rules/campaign-rule";
import { parseDollarsToCents } from "@/server/retail/money";
import type { CampaignRuleDraftInput, CampaignRuleView } from "../../_lib/admin-api";
import { instantOfLocalInput, localInputValueOf } from "../../_lib/local-time-input";

export type RuleKind = CampaignRuleView["kind"];
export type RuleFields = Record<string, string | undefined>;
/** The form's text fields, as typed. */
export type RuleFormText = Record<"name" | "kind" | "priority" | "minAmountCents" | "points" | "percent" | "factor" | "activeFrom" | "activeUntil", string> & {
  enabled: boolean;
};

const WHOLE = /^-?\d+$/;

/**
 * Reads the form into a rule draft and checks it with the server's own schema (campaign-rule.ts), so an empty submit
 * flags every missing field at once and the browser's rules cannot drift from the server's. Text that is not a number
 * (or a date) gets its own message first; the server checks everything again.
 */
export function ruleDraftOf(text: RuleFormText): { draft?: CampaignRuleDraftInput; errors: RuleFields } {
  const errors: RuleFields = {};
  const value = (name: keyof RuleFormText) => String(text[name] ?? "").trim();
  const whole = (name: keyof RuleFormText, example: string) => {
    if (!WHOLE.test(value(name))) errors[name] = `Enter a whole number, like ${example}.`;
    return Number(value(name));
  };
  const instant = (name: "activeFrom" | "activeUntil") => {
    if (value(name) === "") return null;
    const date = instantOfLocalInput(value(name));
    if (!date) errors[name] = "Enter a date and time.";
    return date ?? null;
  };
  const common = {
    name: value("name"),
    enabled: text.enabled,
    priority: whole("priority", "10"),
    activeFrom: instant("activeFrom"),
    activeUntil: instant("activeUntil"),
  };
  const kind = value("kind") as RuleKind;
  let candidate: CampaignRuleDraftInput;
  if (kind === "threshold") {
    const amount = parseDollarsToCents(value("minAmountCents"));
    if (!amount.ok) errors.minAmountCents = amount.message;
    candidate = { ...common, kind, minAmountCents: amount.ok ? amount.cents : 0, points: whole("points", "100") };
  } else if (kind === "percentage") {
    if (!/^\d+(\.\d+)?$/.test(value("percent"))) errors.percent = "Enter a percentage, like 10 or 12.5.";
    candidate = { ...common, kind, percent: Number(value("percent")) };
  } else {
    candidate = { ...common, kind: "multiplier" as const, factor: whole("factor", "2") };
  }
  const parsed = campaignRuleDraftSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? "form");
      errors[field] ??= issue.message;
    }
  }
  return Object.keys(errors).length > 0 ? { errors } : { draft: candidate, errors };
}

/** What the form shows when a rule is edited: its fields as they would have been typed (times in local time). */
export function ruleFormTextOf(rule: CampaignRuleView): RuleFormText {
  const local = (date?: Date | null) => (date ? localInputValueOf(date) : "");
  return {
    name: rule.name,
    kind: rule.kind,
    priority: String(rule.priority),
    minAmountCents: rule.kind === "threshold" ? (rule.minAmountCents / 100).toFixed(2) : "",
    points: rule.kind === "threshold" ? String(rule.points) : "",
    percent: rule.kind === "percentage" ? String(rule.percent) : "",
    factor: rule.kind === "multiplier" ? String(rule.factor) : "",
    activeFrom: local(rule.activeFrom),
    activeUntil: local(rule.activeUntil),
    enabled: rule.enabled,
  };
}

export const EMPTY_RULE_FORM: RuleFormText = {
  name: "",
  kind: "threshold",
  priority: "",
  minAmountCents: "",
  points: "",
  percent: "",
  factor: "",
  activeFrom: "",
  activeUntil: "",
  enabled: false,
};
