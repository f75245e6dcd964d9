import { randomUUID } from "node:crypto";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { disconnectDb } from "@/server/db";
import { sql, sqlPool } from "@/server/sql";
import { truncateShop } from "@/server/testing/database";
import { BEFORE_CYBER_MONDAY, ON_CYBER_MONDAY, purchaseCompleted, saveSeededRules } from "@/server/testing/loyalty-fixtures";
import { awardPurchasePoints } from "./award-purchase-points";
import { readPointStream } from "./event-store/point-event-store";
import { projectPointEvents } from "./projections/project-point-events";

const NOW = new Date("2026-11-26T12:05:00Z");
const award = (purchase: ReturnType<typeof purchaseCompleted>) =>
  awardPurchasePoints({ purchase, lotLifetimeDays: 365, now: NOW });

async function balanceOf(customerId: string): Promise<number | undefined> {
  const [row] = await sqlPool.rows<{ available_points: number }>(
    sql`SELECT available_points FROM loyalty_balances WHERE customer_id = ${customerId}::uuid`,
  );
  return row?.available_points;
}

beforeEach(async () => {
  await truncateShop();
  await saveSeededRules();
});
afterAll(disconnectDb);

describe("a PurchaseCompleted event", () => {
  it("earns 100 points for $120.00, as a lot expiring a year after the purchase", async () => {
    const customerId = randomUUID();
    const purchase = purchaseCompleted({ customerId, amountCents: 12_000 });

    const result = await award(purchase);

    expect(result.repeated).toBe(false);
    const stream = await readPointStream(sqlPool, customerId);
    expect(stream).toHaveLength(1);
    expect(stream[0]!.event).toMatchObject({
      type: "PointsEarned",
      data: {
        lotId: purchase.eventId,
        orderId: purchase.orderId,
        points: 100,
        earnedAt: BEFORE_CYBER_MONDAY,
        expiresAt: new Date("2027-11-26T12:00:00Z"),
      },
    });
    await projectPointEvents();
    expect(await balanceOf(customerId)).toBe(100);
  });

  it("delivered three times at once and once more later awards its points once", async () => {
    const customerId = randomUUID();
    const purchase = purchaseCompleted({ customerId });

    const results = await Promise.all([award(purchase), award(purchase), award(purchase)]);
    const later = await award(purchase);

    expect(results.filter((result) => !result.repeated)).toHaveLength(1);
    expect(later.repeated).toBe(true);
    // The repeats answer with the events the first delivery caused.
    expect(later.events.map((stored) => stored.eventId)).toEqual(results.find((r) => !r.repeated)!.events.map((s) => s.eventId));
    expect(await readPointStream(sqlPool, customerId)).toHaveLength(1);
    await projectPointEvents();
    expect(await balanceOf(customerId)).toBe(100);
  });

  it("for one customer, twelve processed at the same time are all applied: none lost, versions 1…12", async () => {
    const customerId = randomUUID();
    const purchases = Array.from({ length: 12 }, () => purchaseCompleted({ customerId }));

    await Promise.all(purchases.map(award));

    const stream = await readPointStream(sqlPool, customerId);
    expect(stream.map((stored) => stored.version)).toEqual(Array.from({ length: 12 }, (_, index) => index + 1));
    expect(new Set(stream.map((stored) => stored.event.type === "PointsEarned" && stored.event.data.lotId))).toEqual(
      new Set(purchases.map((purchase) => purchase.eventId)),
    );
    await projectPointEvents();
    expect(await balanceOf(customerId)).toBe(1_200);
  });

  it("earns double on Cyber Monday, and nothing under $100 (the message still counts as handled)", async () => {
    const customerId = randomUUID();
    const cyberMonday = purchaseCompleted({ customerId, amountCents: 12_000, occurredAt: ON_CYBER_MONDAY });
    const small = purchaseCompleted({ customerId, amountCents: 9_999 });

    await award(cyberMonday);
    const smallResult = await award(small);

    expect(smallResult.events).toEqual([]);
    expect((await award(small)).repeated).toBe(true);
    const stream = await readPointStream(sqlPool, customerId);
    expect(stream.map((stored) => stored.event.type === "PointsEarned" && stored.event.data.points)).toEqual([200]);
  });
});
