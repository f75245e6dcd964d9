import { describe, expect, it } from "vitest";
import { auditActionWords, KNOWN_AUDIT_ACTIONS } from "./audit-actions";
import { auditTargetLink } from "./audit-target-link";

const ID = "83da3a7e-0000-4000-8000-000000000001";

describe("auditTargetLink", () => {
  it.each([
    ["retry-compensation", ID, `/admin/sagas/${ID}`, "Saga 83da3a7e"],
    ["redrive", ID, `/admin/sagas/${ID}`, "Saga 83da3a7e"],
    ["cancel", ID, `/admin/sagas/${ID}`, "Saga 83da3a7e"],
    ["retire-campaign-rule", ID, `/admin/rules#rule-${ID}`, "Rule 83da3a7e"],
    ["enable-campaign-rule", ID, `/admin/rules#rule-${ID}`, "Rule 83da3a7e"],
    ["adjust-points", ID, `/admin/points?customerId=${ID}`, "Customer 83da3a7e"],
    ["retry-queue-job", "saga-steps/7", "/admin/queues/saga-steps/jobs/7", "Job 7 in saga-steps"],
    ["remove-queue-job", "outbox/repeat:a/b", "/admin/queues/outbox/jobs/repeat%3Aa%2Fb", "Job repeat:a/b in outbox"],
    ["flash-sale-simulation", ID, `/admin/simulator?run=${ID}`, "Run 83da3a7e"],
    ["update-redemption-rule", "redemption-rule", "/admin/rules#redemption-rule-heading", "Redemption rule"],
    ["redrive-dead-letter", ID, "/admin/queues#dead-letters-heading", "Outbox dead letters: 83da3a7e"],
    ["rebuild-projections", null, "/admin/queues#projections-heading", "Loyalty projections"],
    ["bulk-retry", null, "/admin/sagas?status=needs_attention", "Sagas needing attention"],
  ])("%s of %s → %s", (action, targetId, href, label) => {
    expect(auditTargetLink({ action, targetId })).toEqual({ href, label });
  });

  it.each([
    ["an unknown action", "something-new", ID],
    ["a saga action without a target", "cancel", null],
    ["a queue job without a job id", "retry-queue-job", "saga-steps/"],
    ["a queue job without a queue", "retry-queue-job", "/7"],
  ])("has no link for %s", (_, action, targetId) => {
    expect(auditTargetLink({ action, targetId })).toBeNull();
  });

  it("a target id cannot break out of its path", () => {
    expect(auditTargetLink({ action: "cancel", targetId: "../../api?x=1" })?.href).toBe("/admin/sagas/..%2F..%2Fapi%3Fx%3D1");
  });
});

describe("auditActionWords", () => {
  it("has words for every known action, and shows an unknown one as recorded", () => {
    for (const action of KNOWN_AUDIT_ACTIONS) expect(auditActionWords(action)).not.toBe(action);
    expect(auditActionWords("retire-campaign-rule")).toBe("Retired a campaign rule");
    expect(auditActionWords("something-new")).toBe("something-new");
  });
});
