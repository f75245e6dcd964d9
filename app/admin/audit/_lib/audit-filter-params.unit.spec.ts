import { describe, expect, it } from "vitest";
import { auditHrefOf, auditParamsOf } from "./audit-filter-params";

const ID = "1f0c6e7a-5b1d-4c2e-9a3b-6d7e8f901234";

describe("auditParamsOf", () => {
  it("reads the filter and the cursor from the address, times as instants", () => {
    const parsed = auditParamsOf(
      new URLSearchParams(`actor=ada&action=retire-campaign-rule&targetId=${ID}&from=2026-11-30T10:00:00.000Z&to=2026-12-01T10:00:00.000Z&cursor=2026-11-30T12:00:00.000Z_${ID}`),
    );
    expect(parsed).toEqual({
      filter: { actor: "ada", action: "retire-campaign-rule", targetId: ID, from: new Date("2026-11-30T10:00:00.000Z"), to: new Date("2026-12-01T10:00:00.000Z") },
      errors: {},
      cursor: { createdAt: new Date("2026-11-30T12:00:00.000Z"), id: ID },
    });
  });

  it("refuses an end before the start, and a date that is not one, saying why", () => {
    expect(auditParamsOf({ from: "2026-12-02T00:00:00Z", to: "2026-12-01T00:00:00Z" }).errors).toEqual({ to: "The end must be after the start." });
    expect(auditParamsOf({ from: "yesterday" }).errors).toEqual({ from: "Give the start as a date and time." });
  });

  it("starts from the first page when the cursor is not one", () => {
    expect(auditParamsOf({ cursor: "nonsense" }).cursor).toBeNull();
  });
});

describe("auditHrefOf", () => {
  it("writes the filter into the address in a fixed order, leaving out what is empty", () => {
    expect(auditHrefOf({ to: new Date("2026-12-01T00:00:00Z"), actor: " ada ", action: "" })).toBe("/admin/audit?actor=ada&to=2026-12-01T00%3A00%3A00.000Z");
    expect(auditHrefOf({})).toBe("/admin/audit");
  });

  it("round-trips with auditParamsOf, cursor included", () => {
    const cursor = { createdAt: new Date("2026-11-30T12:00:00.000Z"), id: ID };
    const href = auditHrefOf({ actor: "grace", targetId: "saga-steps/42" }, cursor);
    expect(auditParamsOf(new URL(href, "http://x").searchParams)).toEqual({ filter: { actor: "grace", targetId: "saga-steps/42" }, errors: {}, cursor });
  });
});
