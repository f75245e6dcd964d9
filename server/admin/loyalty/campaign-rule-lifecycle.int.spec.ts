import { randomUUID } from "node:crypto";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { db, disconnectDb } from "@/server/db";
import { awardPurchasePoints } from "@/server/loyalty/award-purchase-points";
import { readPointStream } from "@/server/loyalty/event-store/point-event-store";
import { listEnabledCampaignRules } from "@/server/loyalty/rules/campaign-rule-store";
import { THRESHOLD_100_RULE_ID } from "@/server/loyalty/rules/seeded-campaign-rules";
import { sqlPool } from "@/server/sql";
import { createApiClient } from "@/server/testing/api-client";
import { signUpStaffMember, signUpTestCustomer, truncateShop, type TestCustomer } from "@/server/testing/database";
import { createMemorySession } from "@/server/testing/memory-session";
import { BEFORE_CYBER_MONDAY, purchaseCompleted, saveSeededRules } from "@/server/testing/loyalty-fixtures";
import { CAMPAIGN_RULE_ACTIONS } from "../audit/audit-actions";

const THRESHOLD_100 = {
  kind: "threshold" as const,
  name: "100 points for any purchase of $100 or more",
  enabled: true,
  priority: 10,
  minAmountCents: 100_00,
  points: 100,
};

/** A $120 purchase before Cyber Monday, awarded: the ruleIds and points its PointsEarned recorded (none: 0 points). */
async function awardedFor(customerId: string): Promise<{ points: number; ruleIds: string[] }> {
  await awardPurchasePoints({ purchase: purchaseCompleted({ customerId, amountCents: 12_000 }), lotLifetimeDays: 365, now: BEFORE_CYBER_MONDAY });
  const earned = (await readPointStream(sqlPool, customerId)).at(-1)?.event;
  if (!earned) return { points: 0, ruleIds: [] };
  if (earned.type !== "PointsEarned") throw new Error(`Expected PointsEarned, got ${earned.type}`);
  return { points: earned.data.points, ruleIds: earned.data.ruleIds };
}

const auditOf = (targetId: string) => db.adminAuditEntry.findMany({ where: { targetId }, orderBy: { createdAt: "asc" } });

let admin: TestCustomer;
beforeEach(async () => {
  await truncateShop();
  await saveSeededRules();
  admin = await signUpStaffMember("admin");
});
afterAll(disconnectDb);

describe("editing a campaign rule", () => {
  it("adds version 2 with the same lineage; the list shows it alone, and the old version still resolves", async () => {
    const edited = (await admin.client.mutate("admin.loyalty.rules.update", { ...THRESHOLD_100, id: THRESHOLD_100_RULE_ID, name: "150 points from $100", points: 150 })).data();

    expect(edited).toMatchObject({ changed: true, message: "Edited “150 points from $100”: version 2 replaces version 1." });
    expect(edited.rule).toMatchObject({ version: 2, lineageId: THRESHOLD_100_RULE_ID, points: 150, supersededBy: null });
    expect(edited.rule.id).not.toBe(THRESHOLD_100_RULE_ID);
    const listed = (await admin.client.query("admin.loyalty.rules.list")).data().filter((rule) => rule.lineageId === THRESHOLD_100_RULE_ID);
    expect(listed.map((rule) => [rule.id, rule.version, rule.state])).toEqual([[edited.rule.id, 2, "on"]]);
    const [old] = (await admin.client.query("admin.loyalty.rules.versions", { ids: [THRESHOLD_100_RULE_ID] })).data();
    expect(old).toMatchObject({ id: THRESHOLD_100_RULE_ID, version: 1, name: THRESHOLD_100.name, points: 100, supersededBy: edited.rule.id });
    expect(await auditOf(THRESHOLD_100_RULE_ID)).toEqual([
      expect.objectContaining({ action: CAMPAIGN_RULE_ACTIONS.edit, actorEmail: admin.email, outcome: edited.message }),
    ]);
  });

  it("an earlier purchase's PointsEarned keeps naming version 1; purchases after the edit are awarded under version 2", async () => {
    const before = await awardedFor(randomUUID());
    expect(before).toEqual({ points: 100, ruleIds: [THRESHOLD_100_RULE_ID] });

    const edited = (await admin.client.mutate("admin.loyalty.rules.update", { ...THRESHOLD_100, id: THRESHOLD_100_RULE_ID, name: "150 points from $100", points: 150 })).data();
    const after = await awardedFor(randomUUID());

    expect(after).toEqual({ points: 150, ruleIds: [edited.rule.id] });
    const named = (await admin.client.query("admin.loyalty.rules.versions", { ids: [...before.ruleIds, ...after.ruleIds] })).data();
    expect(named.map((rule) => [rule.id, rule.version, rule.name])).toEqual([
      [THRESHOLD_100_RULE_ID, 1, THRESHOLD_100.name],
      [edited.rule.id, 2, "150 points from $100"],
    ]);
    expect((await listEnabledCampaignRules(sqlPool)).map((rule) => rule.id)).not.toContain(THRESHOLD_100_RULE_ID);
  });

  it("an edit that changes nothing makes no version and says so; editing a replaced version is refused", async () => {
    const same = (await admin.client.mutate("admin.loyalty.rules.update", { ...THRESHOLD_100, id: THRESHOLD_100_RULE_ID })).data();
    expect(same).toMatchObject({ changed: false, rule: { id: THRESHOLD_100_RULE_ID, version: 1 } });
    expect(same.message).toContain("nothing changed");

    await admin.client.mutate("admin.loyalty.rules.update", { ...THRESHOLD_100, id: THRESHOLD_100_RULE_ID, points: 120 });
    const stale = await admin.client.mutate("admin.loyalty.rules.update", { ...THRESHOLD_100, id: THRESHOLD_100_RULE_ID, points: 130 });
    expect(stale.status).toBe(400);
    expect(stale.error().message).toBe(`Version 1 of “${THRESHOLD_100.name}” has been replaced by a newer one: reload the rules.`);
    expect(await db.loyaltyCampaignRule.count({ where: { lineageId: THRESHOLD_100_RULE_ID } })).toBe(2);
  });

  it("two admins editing at once: one makes version 2, the other is refused, never two current versions", async () => {
    const edits = await Promise.all(
      [120, 130].map((points) => admin.client.mutate("admin.loyalty.rules.update", { ...THRESHOLD_100, id: THRESHOLD_100_RULE_ID, points })),
    );
    expect(edits.map((edit) => edit.status).sort()).toEqual([200, 400]);
    expect(await db.loyaltyCampaignRule.count({ where: { lineageId: THRESHOLD_100_RULE_ID, supersededBy: null } })).toBe(1);
  });

  it("refuses a broken draft with the schema's field message, changing nothing", async () => {
    const answer = await admin.client.mutate("admin.loyalty.rules.update", { ...THRESHOLD_100, id: THRESHOLD_100_RULE_ID, name: " " });
    expect(answer.status).toBe(400);
    expect(answer.error().data.fieldErrors?.name).toEqual(["Give the rule a name."]);
    expect(await db.loyaltyCampaignRule.count()).toBe(2);
    expect(await auditOf(THRESHOLD_100_RULE_ID)).toEqual([]);
  });

  it("seeding again after an edit leaves the admin's versions as they are", async () => {
    await admin.client.mutate("admin.loyalty.rules.update", { ...THRESHOLD_100, id: THRESHOLD_100_RULE_ID, points: 150 });
    await saveSeededRules();
    const lineage = await db.loyaltyCampaignRule.findMany({ where: { lineageId: THRESHOLD_100_RULE_ID }, orderBy: { version: "asc" } });
    expect(lineage.map((row) => [row.version, (row.settings as { points: number }).points, row.supersededBy === null])).toEqual([
      [1, 100, false],
      [2, 150, true],
    ]);
  });
});

describe("retiring a campaign rule", () => {
  it("is audited, never applied again, cannot be turned back on or edited; retiring twice changes nothing and says so", async () => {
    const retired = (await admin.client.mutate("admin.loyalty.rules.retire", { id: THRESHOLD_100_RULE_ID })).data();
    expect(retired).toMatchObject({ changed: true, message: `Retired the rule “${THRESHOLD_100.name}”.`, rule: { enabled: false } });
    expect(retired.rule.retiredAt).toBeInstanceOf(Date);

    expect(await awardedFor(randomUUID())).toEqual({ points: 0, ruleIds: [] });
    const listed = (await admin.client.query("admin.loyalty.rules.list")).data().find((rule) => rule.id === THRESHOLD_100_RULE_ID);
    expect(listed?.state).toBe("retired");

    const again = (await admin.client.mutate("admin.loyalty.rules.retire", { id: THRESHOLD_100_RULE_ID })).data();
    expect(again).toMatchObject({ changed: false, message: `The rule “${THRESHOLD_100.name}” was already retired: nothing changed.` });
    expect(again.rule.retiredAt).toEqual(retired.rule.retiredAt);

    const reenabled = await admin.client.mutate("admin.loyalty.rules.setEnabled", { id: THRESHOLD_100_RULE_ID, enabled: true });
    expect(reenabled.status).toBe(400);
    expect(reenabled.error().message).toBe("This rule is retired: it cannot be turned back on.");
    const edited = await admin.client.mutate("admin.loyalty.rules.update", { ...THRESHOLD_100, id: THRESHOLD_100_RULE_ID, points: 5 });
    expect(edited.status).toBe(400);
    expect(edited.error().message).toBe("This rule is retired: it cannot be edited.");

    expect((await auditOf(THRESHOLD_100_RULE_ID)).map((line) => [line.action, line.outcome])).toEqual([
      [CAMPAIGN_RULE_ACTIONS.retire, retired.message],
      [CAMPAIGN_RULE_ACTIONS.retire, again.message],
    ]);
    await saveSeededRules();
    expect((await listEnabledCampaignRules(sqlPool)).map((rule) => rule.id)).not.toContain(THRESHOLD_100_RULE_ID);
  });

  it("a rule that does not exist is a 404 and records nothing", async () => {
    const id = randomUUID();
    const answer = await admin.client.mutate("admin.loyalty.rules.retire", { id });
    expect(answer.status).toBe(404);
    expect(answer.error().message).toBe("There is no campaign rule with that id.");
    expect(await auditOf(id)).toEqual([]);
  });
});

describe("switching a rule on and off", () => {
  it("is audited under the rule's lineage each time; switching to the state it has says nothing changed", async () => {
    await admin.client.mutate("admin.loyalty.rules.setEnabled", { id: THRESHOLD_100_RULE_ID, enabled: false });
    await admin.client.mutate("admin.loyalty.rules.setEnabled", { id: THRESHOLD_100_RULE_ID, enabled: false });
    expect((await auditOf(THRESHOLD_100_RULE_ID)).map((line) => [line.action, line.outcome])).toEqual([
      [CAMPAIGN_RULE_ACTIONS.disable, `Disabled the rule “${THRESHOLD_100.name}”.`],
      [CAMPAIGN_RULE_ACTIONS.disable, `The rule “${THRESHOLD_100.name}” was already off: nothing changed.`],
    ]);
  });
});

describe("who may", () => {
  it("support staff see the rules and their versions but cannot edit or retire them", async () => {
    const support = await signUpStaffMember("support");
    expect((await support.client.query("admin.loyalty.rules.versions", { ids: [THRESHOLD_100_RULE_ID] })).status).toBe(200);
    expect((await support.client.mutate("admin.loyalty.rules.update", { ...THRESHOLD_100, id: THRESHOLD_100_RULE_ID, points: 5 })).status).toBe(403);
    expect((await support.client.mutate("admin.loyalty.rules.retire", { id: THRESHOLD_100_RULE_ID })).status).toBe(403);
    expect(await db.loyaltyCampaignRule.count({ where: { retiredAt: { not: null } } })).toBe(0);
  });

  it("anonymous callers and customers get nothing: not the versions, not an edit, not a retirement", async () => {
    const anonymous = createApiClient(createMemorySession());
    const customer = (await signUpTestCustomer()).client;
    for (const [client, status] of [[anonymous, 401], [customer, 403]] as const) {
      expect((await client.query("admin.loyalty.rules.versions", { ids: [THRESHOLD_100_RULE_ID] })).status).toBe(status);
      expect((await client.mutate("admin.loyalty.rules.update", { ...THRESHOLD_100, id: THRESHOLD_100_RULE_ID, points: 5 })).status).toBe(status);
      expect((await client.mutate("admin.loyalty.rules.retire", { id: THRESHOLD_100_RULE_ID })).status).toBe(status);
    }
    expect(await db.loyaltyCampaignRule.count({ where: { lineageId: THRESHOLD_100_RULE_ID } })).toBe(1);
  });
});
