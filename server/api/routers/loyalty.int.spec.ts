import { randomUUID } from "node:crypto";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { db, disconnectDb } from "@/server/db";
import { adjustPoints } from "@/server/loyalty/adjust-points";
import { awardPurchasePoints } from "@/server/loyalty/award-purchase-points";
import { handlePointCommand } from "@/server/loyalty/event-store/handle-point-command";
import { projectPointEvents } from "@/server/loyalty/projections/project-point-events";
import { saveCampaignRule } from "@/server/loyalty/rules/campaign-rule-store";
import { sql, sqlPool } from "@/server/sql";
import { createApiClient } from "@/server/testing/api-client";
import { signUpTestCustomer, truncateShop, type TestCustomer } from "@/server/testing/database";
import { purchaseCompleted } from "@/server/testing/loyalty-fixtures";

const DAY = 86_400_000;

let ada: TestCustomer;

/** Ada bought a $120 unicorn `daysAgo` days ago; the projections have caught up. */
async function adaBought(daysAgo = 0): Promise<string> {
  const purchase = purchaseCompleted({ customerId: ada.profile.id, occurredAt: new Date(Date.now() - daysAgo * DAY) });
  await awardPurchasePoints({ purchase, lotLifetimeDays: 365, now: new Date() });
  await projectPointEvents();
  return purchase.eventId;
}

async function countPointEvents(): Promise<number> {
  const [row] = await sqlPool.rows<{ count: number }>(sql`SELECT count(*)::int AS count FROM loyalty_point_events`);
  return row!.count;
}

beforeEach(async () => {
  await truncateShop();
  // Only the threshold rule: these tests must not depend on whether today falls on Cyber Monday.
  await saveCampaignRule(sqlPool, { kind: "threshold", name: "100 points from $100", enabled: true, priority: 10, minAmountCents: 10_000, points: 100 });
  ada = await signUpTestCustomer({ name: "Ada" });
});
afterAll(disconnectDb);

describe("loyalty.summary", () => {
  it("is all zeros for a customer who has bought nothing, and refuses anonymous callers", async () => {
    expect((await ada.client.query("loyalty.summary")).data()).toEqual({
      availablePoints: 0,
      thisWeekPoints: 0,
      expiringSoon: [],
      lag: { pendingEvents: 0, behindMs: 0 },
    });
    const anonymous = await createApiClient().query("loyalty.summary");
    expect(anonymous.status).toBe(401);
  });

  it("shows the points of a purchase this week, a gift expiring within 30 days, and only Ada's own", async () => {
    await adaBought();
    const giftExpiresAt = new Date(Date.now() + 10 * DAY);
    await handlePointCommand({
      customerId: ada.profile.id,
      messageId: "gift-1",
      now: new Date(),
      command: { type: "AdjustPoints", data: { adjustmentId: randomUUID(), points: 25, reason: "Gift", adjustedBy: "test", expiresAt: giftExpiresAt } },
    });
    const bob = await signUpTestCustomer({ name: "Bob" });
    await projectPointEvents();

    const summary = (await ada.client.query("loyalty.summary")).data();

    expect(summary.availablePoints).toBe(125);
    expect(summary.thisWeekPoints).toBe(125);
    expect(summary.expiringSoon).toEqual([{ lotId: expect.any(String), points: 25, expiresAt: giftExpiresAt }]);
    expect((await bob.client.query("loyalty.summary")).data().availablePoints).toBe(0);
  });
});

describe("loyalty.history and loyalty.balanceAt", () => {
  it("pages through the history newest first, with the balance after each event", async () => {
    for (let index = 0; index < 5; index++) await adaBought(5 - index);

    const first = (await ada.client.query("loyalty.history", { limit: 2 })).data();
    const second = (await ada.client.query("loyalty.history", { limit: 2, cursor: first.nextCursor })).data();
    const third = (await ada.client.query("loyalty.history", { limit: 2, cursor: second.nextCursor })).data();

    expect([...first.entries, ...second.entries, ...third.entries].map((entry) => entry.balanceAfter)).toEqual([500, 400, 300, 200, 100]);
    expect(third.nextCursor).toBeNull();
    expect(first.entries[0]!.description).toMatch(/^Earned 100 points for order #/);
  });

  it("answers what the balance was at a past instant, from the events", async () => {
    const before = new Date();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await adaBought();

    expect((await ada.client.query("loyalty.balanceAt", { at: before })).data().points).toBe(0);
    expect((await ada.client.query("loyalty.balanceAt", { at: new Date() })).data().points).toBe(100);
    const bad = await ada.client.query("loyalty.balanceAt", { at: "not a date" });
    expect(bad.status).toBe(400);
  });
});

describe("loyalty.redeem", () => {
  it("spends points once per key, refuses more than the balance, and says why", async () => {
    await adaBought();

    const redeemed = await ada.client.mutate("loyalty.redeem", { points: 30, idempotencyKey: "redeem-0001" });
    const again = await ada.client.mutate("loyalty.redeem", { points: 30, idempotencyKey: "redeem-0001" });
    const tooMuch = await ada.client.mutate("loyalty.redeem", { points: 71, idempotencyKey: "redeem-0002" });
    const otherPoints = await ada.client.mutate("loyalty.redeem", { points: 31, idempotencyKey: "redeem-0001" });

    expect(redeemed.data()).toMatchObject({ redeemedPoints: 30, repeated: false });
    expect(again.data()).toMatchObject({ redeemedPoints: 30, repeated: true });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.error().message).toMatch(/70 points/);
    expect(otherPoints.status).toBe(409);
    expect(await countPointEvents()).toBe(2);
    await projectPointEvents();
    expect((await ada.client.query("loyalty.summary")).data().availablePoints).toBe(70);
  });

  it.each([
    ["zero", { points: 0, idempotencyKey: "redeem-bad1" }],
    ["negative", { points: -5, idempotencyKey: "redeem-bad2" }],
    ["fractional", { points: 1.5, idempotencyKey: "redeem-bad3" }],
    ["huge", { points: 10 ** 9, idempotencyKey: "redeem-bad4" }],
    ["without a key", { points: 5 }],
  ])("refuses %s input with a 400 and writes nothing", async (_label, input) => {
    await adaBought();
    const before = await countPointEvents();

    const response = await ada.client.mutate("loyalty.redeem", input);

    expect(response.status).toBe(400);
    expect(response.error().data.fieldErrors).toBeDefined();
    expect(await countPointEvents()).toBe(before);
  });
});

describe("admin.loyalty.rules", () => {
  const percentRule = { kind: "percentage", name: "10% back", enabled: true, priority: 5, percent: 10 } as const;

  it("refuses anonymous callers and customers", async () => {
    const anonymous = createApiClient();
    expect((await anonymous.query("admin.loyalty.rules.list")).status).toBe(401);
    expect((await ada.client.query("admin.loyalty.rules.list")).status).toBe(403);
    expect((await ada.client.mutate("admin.loyalty.rules.create", percentRule)).status).toBe(403);
    expect((await ada.client.query("admin.loyalty.projections")).status).toBe(403);
  });

  it("lets an admin create, list and switch rules, and refuses a broken rule without storing it", async () => {
    await db.customer.update({ where: { id: ada.profile.id }, data: { role: "admin" } });

    const created = (await ada.client.mutate("admin.loyalty.rules.create", percentRule)).data();
    const broken = await ada.client.mutate("admin.loyalty.rules.create", { ...percentRule, percent: 150 });
    const reversed = await ada.client.mutate("admin.loyalty.rules.create", {
      ...percentRule,
      activeFrom: new Date("2026-12-02T00:00:00Z"),
      activeUntil: new Date("2026-12-01T00:00:00Z"),
    });
    const disabled = (await ada.client.mutate("admin.loyalty.rules.setEnabled", { id: created.id, enabled: false })).data();
    const missing = await ada.client.mutate("admin.loyalty.rules.setEnabled", { id: randomUUID(), enabled: false });
    const rules = (await ada.client.query("admin.loyalty.rules.list")).data();

    expect(broken.status).toBe(400);
    expect(broken.error().data.fieldErrors).toHaveProperty("percent");
    expect(reversed.status).toBe(400);
    expect(reversed.error().data.fieldErrors).toHaveProperty("activeUntil");
    expect(missing.status).toBe(404);
    expect(disabled.enabled).toBe(false);
    expect(rules.map((rule) => [rule.name, rule.enabled])).toEqual([
      ["100 points from $100", true],
      ["10% back", false],
    ]);
    // Each change is in the audit log with who made it; the refused ones left nothing.
    const audit = (await ada.client.query("admin.audit.list")).data();
    expect(audit.map((entry) => [entry.action, entry.targetId, entry.actorEmail])).toEqual([
      ["disable-campaign-rule", created.id, ada.email],
      ["create-campaign-rule", created.id, ada.email],
    ]);
    const creations = (await ada.client.query("admin.audit.list", { action: "create-campaign-rule" })).data();
    expect(creations.map((entry) => entry.action)).toEqual(["create-campaign-rule"]);
  });

  it("refuses the poison rule: more points than any read model could hold, or a priority past any integer", async () => {
    await db.customer.update({ where: { id: ada.profile.id }, data: { role: "admin" } });
    const threshold = { kind: "threshold", name: "Whale", enabled: true, priority: 9, minAmountCents: 100 } as const;

    const huge = await ada.client.mutate("admin.loyalty.rules.create", { ...threshold, points: 3_000_000_000 });
    const farPriority = await ada.client.mutate("admin.loyalty.rules.create", { ...threshold, points: 10, priority: 3_000_000_000 });

    expect(huge.status).toBe(400);
    expect(huge.error().data.fieldErrors?.points).toEqual(["A threshold rule awards at most 100,000 points."]);
    expect(farPriority.status).toBe(400);
    expect(farPriority.error().data.fieldErrors?.priority).toEqual(["The priority goes up to 1,000,000."]);
    expect((await ada.client.query("admin.loyalty.rules.list")).data().map((rule) => rule.name)).not.toContain("Whale");
  });
});

describe("admin.loyalty.adjust", () => {
  async function signUpAdmin() {
    const admin = await signUpTestCustomer({ name: "Admin" });
    await db.customer.update({ where: { id: admin.profile.id }, data: { role: "admin" } });
    const adjust = (points: number, idempotencyKey: string, customerEmail = ada.email) =>
      admin.client.mutate("admin.loyalty.adjust", { customerEmail, points, reason: "Sorry for the delay", idempotencyKey });
    return { admin, adjust };
  }

  it("gives and takes back points with a reason, once per key, never below zero, and audits each", async () => {
    const { admin, adjust } = await signUpAdmin();

    const gift = (await adjust(40, "gift-000001")).data();
    const giftAgain = (await adjust(40, "gift-000001")).data();
    const reusedKey = await adjust(41, "gift-000001");
    const tooMuch = await adjust(-41, "take-000001");
    const deduction = (await adjust(-15, "take-000002")).data();
    const nobody = await adjust(5, "gift-000002", "nobody@unicorn.test");
    const zero = await adjust(0, "gift-000003");
    const bob = await signUpTestCustomer({ name: "Bob" });
    const sameKeyForBob = (await adjust(5, "gift-000001", bob.email)).data();
    const byCustomer = await ada.client.mutate("admin.loyalty.adjust", {
      customerEmail: ada.email, points: 1_000, reason: "Treat myself", idempotencyKey: "self-000001",
    });
    await projectPointEvents();

    expect([gift, giftAgain, deduction]).toEqual([
      { customerId: ada.profile.id, adjustedPoints: 40, repeated: false },
      { customerId: ada.profile.id, adjustedPoints: 40, repeated: true },
      { customerId: ada.profile.id, adjustedPoints: -15, repeated: false },
    ]);
    expect(sameKeyForBob).toEqual({ customerId: bob.profile.id, adjustedPoints: 5, repeated: false });
    expect((await bob.client.query("loyalty.summary")).data().availablePoints).toBe(5);
    expect([reusedKey.status, tooMuch.status, nobody.status, zero.status, byCustomer.status]).toEqual([409, 422, 404, 400, 403]);
    expect(tooMuch.error().message).toMatch(/has 40 points available/);
    expect((await ada.client.query("loyalty.summary")).data().availablePoints).toBe(25);
    const audit = (await admin.client.query("admin.audit.list")).data();
    expect(audit.map((entry) => entry.outcome)).toEqual([
      `Gave 5 points to ${bob.email} (Sorry for the delay).`,
      `Took 15 points from ${ada.email} (Sorry for the delay).`,
      `Repeated request, nothing changed: Gave 40 points to ${ada.email} (Sorry for the delay).`,
      `Gave 40 points to ${ada.email} (Sorry for the delay).`,
    ]);
  });

  it("gives once when the same request arrives twice at the same moment (a double click), with one line for each", async () => {
    const { admin, adjust } = await signUpAdmin();

    const answers = await Promise.all([adjust(40, "twice-000001"), adjust(40, "twice-000001")]);
    await projectPointEvents();

    expect(answers.map((answer) => answer.data().repeated).sort()).toEqual([false, true]);
    expect((await ada.client.query("loyalty.summary")).data().availablePoints).toBe(40);
    const audit = (await admin.client.query("admin.audit.list")).data();
    expect(audit.map((entry) => entry.outcome).sort()).toEqual([
      `Gave 40 points to ${ada.email} (Sorry for the delay).`,
      `Repeated request, nothing changed: Gave 40 points to ${ada.email} (Sorry for the delay).`,
    ]);
  });

  it("never goes below zero when two deductions race: one is taken, the other refused and not audited", async () => {
    const { admin, adjust } = await signUpAdmin();
    await adjust(40, "gift-000001");

    const answers = await Promise.all([adjust(-30, "take-000001"), adjust(-30, "take-000002")]);
    await projectPointEvents();

    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 422]);
    expect((await ada.client.query("loyalty.summary")).data().availablePoints).toBe(10);
    const audit = (await admin.client.query("admin.audit.list")).data();
    expect(audit.map((entry) => entry.outcome)).toEqual([
      `Took 30 points from ${ada.email} (Sorry for the delay).`,
      `Gave 40 points to ${ada.email} (Sorry for the delay).`,
    ]);
  });

  it("changes no points when its record cannot be written, so the same key can try again", async () => {
    const adjust = (record?: () => Promise<void>) =>
      adjustPoints({
        customerId: ada.profile.id,
        points: 25,
        reason: "Goodwill",
        adjustedBy: "admin@unicorn.test",
        idempotencyKey: "record-000001",
        lotLifetimeDays: 365,
        now: new Date(),
        record,
      });

    await expect(adjust(() => Promise.reject(new Error("The audit log is unavailable")))).rejects.toThrow("The audit log is unavailable");
    expect(await countPointEvents()).toBe(0);

    expect(await adjust()).toEqual({ adjustedPoints: 25, repeated: false });
    await projectPointEvents();
    expect((await ada.client.query("loyalty.summary")).data().availablePoints).toBe(25);
  });
});
