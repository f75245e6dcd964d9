import { randomUUID } from "node:crypto";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { disconnectDb } from "@/server/db";
import { handlePointCommand } from "@/server/loyalty/event-store/handle-point-command";
import { projectPointEvents } from "@/server/loyalty/projections/project-point-events";
import { sql, sqlPool } from "@/server/sql";
import { createApiClient } from "@/server/testing/api-client";
import { signUpStaffMember, signUpTestCustomer, truncateShop, type TestCustomer } from "@/server/testing/database";
import { saveSeededRules } from "@/server/testing/loyalty-fixtures";

/** What points are worth at checkout: the shopper's quote, and the rule admins set. */

const DAY = 86_400_000;
const SEEDED = { pointsPerStep: 100, centsPerStep: 500, maxDiscountPercent: 50 };

let ada: TestCustomer;

/** A lot of points for Ada expiring at `expiresAt`, projected. */
async function adaGets(points: number, expiresAt: Date): Promise<void> {
  const adjustmentId = randomUUID();
  await handlePointCommand({
    customerId: ada.profile.id,
    messageId: adjustmentId,
    now: new Date(Date.now() - 2 * DAY),
    command: { type: "AdjustPoints", data: { adjustmentId, points, reason: "Test points", adjustedBy: "test", expiresAt } },
  });
  await projectPointEvents();
}

async function ruleRowAndAuditCount(): Promise<unknown> {
  return sqlPool.rows(sql`
    SELECT (SELECT row_to_json(r) FROM (SELECT points_per_step, cents_per_step, max_discount_percent FROM loyalty_redemption_rule) r) AS rule,
           (SELECT count(*)::int FROM admin_audit_log) AS audit_lines`);
}

beforeEach(async () => {
  await truncateShop();
  await saveSeededRules();
  ada = await signUpTestCustomer({ name: "Ada" });
});
afterAll(disconnectDb);

describe("loyalty.quote", () => {
  it("says what the signed-in customer's points take off an order, and the most they can use on it", async () => {
    await adaGets(250, new Date(Date.now() + 10 * DAY));
    // Past its expiry, not yet recorded as expired: not spendable, so not offered.
    await adaGets(1_000, new Date(Date.now() - DAY));

    const quote = (points: number, amountCents: number) => ada.client.query("loyalty.quote", { points, amountCents });

    expect((await quote(250, 120_00)).data()).toEqual({ points: 250, discountCents: 12_50, maxPoints: 250 });
    expect((await quote(1_000, 120_00)).data()).toEqual({ points: 250, discountCents: 12_50, maxPoints: 250 });
    expect((await quote(250, 30_00)).data()).toEqual({ points: 250, discountCents: 12_50, maxPoints: 250 });
    expect((await quote(250, 20_00)).data()).toEqual({ points: 200, discountCents: 10_00, maxPoints: 200 });
    expect((await quote(0, 120_00)).data()).toEqual({ points: 0, discountCents: 0, maxPoints: 250 });
    expect((await quote(100, 9)).data()).toEqual({ points: 0, discountCents: 0, maxPoints: 0 });
    // Someone else's points are no one's business but theirs.
    const bob = await signUpTestCustomer({ name: "Bob" });
    expect((await bob.client.query("loyalty.quote", { points: 250, amountCents: 120_00 })).data()).toEqual({ points: 0, discountCents: 0, maxPoints: 0 });
  });

  it("refuses anonymous callers and bad input with field errors, never a 500", async () => {
    expect((await createApiClient().query("loyalty.quote", { points: 10, amountCents: 100 })).status).toBe(401);
    for (const input of [
      { points: -1, amountCents: 100 },
      { points: 1.5, amountCents: 100 },
      { points: 10 ** 9, amountCents: 100 },
      { points: 10, amountCents: 0 },
      { points: 10, amountCents: 2 ** 31 },
      { points: 10 },
    ]) {
      const response = await ada.client.query("loyalty.quote", input);
      expect([input, response.status]).toEqual([input, 400]);
      expect(response.error().data.fieldErrors).toBeDefined();
    }
  });
});

describe("admin.loyalty.redemptionRule", () => {
  it("staff see the rule; only admins change it (403 for support and customers, 401 signed out), and nothing is written", async () => {
    const support = await signUpStaffMember("support");
    const before = await ruleRowAndAuditCount();

    expect((await support.client.query("admin.loyalty.redemptionRule.get")).data()).toMatchObject(SEEDED);
    expect((await ada.client.query("admin.loyalty.redemptionRule.get")).status).toBe(403);
    expect((await createApiClient().query("admin.loyalty.redemptionRule.get")).status).toBe(401);
    const change = { ...SEEDED, centsPerStep: 1_000 };
    expect((await support.client.mutate("admin.loyalty.redemptionRule.update", change)).status).toBe(403);
    expect((await ada.client.mutate("admin.loyalty.redemptionRule.update", change)).status).toBe(403);
    expect((await createApiClient().mutate("admin.loyalty.redemptionRule.update", change)).status).toBe(401);
    expect(await ruleRowAndAuditCount()).toEqual(before);
  });

  it("an admin's change is in force at once and audited with the rule before and after; quotes follow it", async () => {
    const admin = await signUpStaffMember("admin");
    await adaGets(1_000, new Date(Date.now() + 10 * DAY));

    const saved = await admin.client.mutate("admin.loyalty.redemptionRule.update", { pointsPerStep: 100, centsPerStep: 150, maxDiscountPercent: 20 });

    expect(saved.data()).toMatchObject({ pointsPerStep: 100, centsPerStep: 150, maxDiscountPercent: 20 });
    expect((await admin.client.query("admin.loyalty.redemptionRule.get")).data()).toMatchObject({ centsPerStep: 150, maxDiscountPercent: 20 });
    // 20% of $120.00 is $24.00: 1,600 points at 1.5 cents; Ada has 1,000 ($15.00).
    expect((await ada.client.query("loyalty.quote", { points: 1_000, amountCents: 120_00 })).data()).toEqual({
      points: 1_000,
      discountCents: 15_00,
      maxPoints: 1_000,
    });
    const [line] = await sqlPool.rows<{ actor_email: string; action: string; target_id: string; outcome: string; details: unknown }>(sql`
      SELECT actor_email, action, target_id, outcome, details FROM admin_audit_log`);
    expect(line).toEqual({
      actor_email: admin.email,
      action: "update-redemption-rule",
      target_id: "redemption-rule",
      outcome: "Set the redemption rule to 100 points = $1.50, at most 20% of an order (was 100 points = $5.00, at most 50% of an order).",
      details: { before: SEEDED, after: { pointsPerStep: 100, centsPerStep: 150, maxDiscountPercent: 20 } },
    });
  });

  it.each([
    [{ ...SEEDED, pointsPerStep: 0 }, "pointsPerStep", "A step is at least 1 point."],
    [{ ...SEEDED, centsPerStep: 12.5 }, "centsPerStep", "Give the value in whole cents."],
    [{ ...SEEDED, maxDiscountPercent: 100 }, "maxDiscountPercent", "Points pay at most 99% of an order: the wallet pays the rest."],
    [{ ...SEEDED, pointsPerStep: 1, centsPerStep: 500 }, "centsPerStep", "A point can be worth at most $1.00: give more points per step, or less value."],
    [{ ...SEEDED, centsPerStep: 3_000_000_000 }, "centsPerStep", "A step is worth at most $10,000.00."],
    [{ pointsPerStep: 100, centsPerStep: 500 }, "maxDiscountPercent", "Enter the percentage as a number."],
  ])("refuses %o with a 400 on %s, and changes and audits nothing", async (input, field, message) => {
    const admin = await signUpStaffMember("admin");
    const before = await ruleRowAndAuditCount();

    const response = await admin.client.mutate("admin.loyalty.redemptionRule.update", input);

    expect(response.status).toBe(400);
    expect(response.error().data.fieldErrors?.[field]).toEqual([message]);
    expect(await ruleRowAndAuditCount()).toEqual(before);
  });
});
