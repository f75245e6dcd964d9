import { describe, expect, it } from "vitest";
import { EMPTY_RULE_FORM, ruleDraftOf, ruleFormTextOf } from "./rule-draft";

describe("ruleDraftOf", () => {
  it("flags every missing field of an empty form at once, the name with the server's own message", () => {
    expect(ruleDraftOf(EMPTY_RULE_FORM)).toEqual({
      errors: {
        name: "Give the rule a name.",
        priority: "Enter a whole number, like 10.",
        minAmountCents: "Enter an amount.",
        points: "Enter a whole number, like 100.",
      },
    });
  });

  it("applies the server's rules about rules: a multiplier of 1, a window ending before it starts", () => {
    const base = { ...EMPTY_RULE_FORM, name: "Triple", priority: "1", kind: "multiplier" };
    expect(ruleDraftOf({ ...base, factor: "1" }).errors).toEqual({ factor: "A multiplier multiplies by 2 or more." });
    expect(ruleDraftOf({ ...base, factor: "3", activeFrom: "2026-12-05T10:00", activeUntil: "2026-12-04T10:00" }).errors).toEqual({
      activeUntil: "The rule must end after it starts.",
    });
  });

  it("reads a valid form into the draft the API takes", () => {
    const { draft, errors } = ruleDraftOf({ ...EMPTY_RULE_FORM, name: " Big spender ", priority: "5", minAmountCents: "$1,000.50", points: "40", enabled: true });
    expect(errors).toEqual({});
    expect(draft).toEqual({ kind: "threshold", name: "Big spender", enabled: true, priority: 5, minAmountCents: 100_050, points: 40, activeFrom: null, activeUntil: null });
  });

  it("fills the form from a rule so that reading it back gives the same rule", () => {
    const rule = { id: "x", lineageId: "x", version: 1, supersededBy: null, retiredAt: null, state: "on" as const, kind: "percentage" as const, name: "Tenth", enabled: true, priority: 3, percent: 12.5, activeFrom: null, activeUntil: null };
    expect(ruleDraftOf(ruleFormTextOf(rule)).draft).toEqual({ kind: "percentage", name: "Tenth", enabled: true, priority: 3, percent: 12.5, activeFrom: null, activeUntil: null });
  });
});
