import { parseDollarsToCents } from "@/server/retail/money";
import type { RedemptionRuleInput, RedemptionRuleView } from "../../_lib/admin-api";

/** The redemption rule form's fields, as typed. */
export type RedemptionRuleFields = { pointsPerStep: string; centsPerStep: string; maxDiscountPercent: string };
type FieldErrors = Partial<Record<keyof RedemptionRuleFields, string>>;

const WHOLE = /^\d+$/;

/** The form filled with the rule in force, so an admin changes only what they mean to. */
export function redemptionRuleFieldsOf(rule: RedemptionRuleView): RedemptionRuleFields {
  return {
    pointsPerStep: String(rule.pointsPerStep),
    centsPerStep: (rule.centsPerStep / 100).toFixed(2),
    maxDiscountPercent: String(rule.maxDiscountPercent),
  };
}

/**
 * Reads the form into a rule, catching only what the browser can tell (a number that is not a number); every rule
 * about the rule (its ranges, a point worth at most $1.00) is the server's, and its field errors come back next to
 * the fields.
 */
export function redemptionRuleOf(fields: RedemptionRuleFields): { rule?: RedemptionRuleInput; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const whole = (name: "pointsPerStep" | "maxDiscountPercent", example: string) => {
    const text = fields[name].trim().replaceAll(",", "");
    if (!WHOLE.test(text)) errors[name] = `Enter a whole number, like ${example}.`;
    return Number(text);
  };
  const pointsPerStep = whole("pointsPerStep", "100");
  const maxDiscountPercent = whole("maxDiscountPercent", "50");
  const value = parseDollarsToCents(fields.centsPerStep);
  if (!value.ok) errors.centsPerStep = value.message;
  if (Object.keys(errors).length > 0 || !value.ok) return { errors };
  return { rule: { pointsPerStep, centsPerStep: value.cents, maxDiscountPercent }, errors };
}
