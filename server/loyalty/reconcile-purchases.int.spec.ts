import { randomUUID } from "node:crypto";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { db, disconnectDb } from "@/server/db";
import type { PurchaseCompleted } from "@/server/retail/checkout/purchase-completed";
import { readPurchaseFeed } from "@/server/retail/outbox/purchase-feed";
import { sql, sqlPool } from "@/server/sql";
import { truncateShop } from "@/server/testing/database";
import { purchaseCompleted, saveSeededRules } from "@/server/testing/loyalty-fixtures";
import { awardPurchasePoints } from "./award-purchase-points";
import { readPointStream } from "./event-store/point-event-store";
import { reconcilePurchases } from "./reconcile-purchases";

const NOW = new Date();
const MINUTE = 60_000;
const reconcile = (now = NOW) => reconcilePurchases({ feed: readPurchaseFeed, lotLifetimeDays: 365, now, settleMs: 2 * MINUTE, batchSize: 2 });

/** A purchase in Retail's outbox, written `minutesAgo` ago (published or not: the reconciler reads the feed, not the queue). */
async function inRetailsOutbox(purchase: PurchaseCompleted, minutesAgo: number): Promise<void> {
  const at = new Date(NOW.getTime() - minutesAgo * MINUTE);
  await db.outboxMessage.create({
    data: { id: purchase.eventId, eventType: "PurchaseCompleted", payload: purchase, createdAt: at, nextAttemptAt: at, publishedAt: at },
  });
}

const earnedLots = async (customerId: string) =>
  (await readPointStream(sqlPool, customerId)).filter((stored) => stored.event.type === "PointsEarned").map((stored) => stored.event.data);

beforeEach(async () => {
  await truncateShop();
  await saveSeededRules();
});
afterAll(disconnectDb);

describe("reconciling Retail's purchases", () => {
  it("awards, once, every settled purchase whose message never reached Loyalty, and leaves the rest alone", async () => {
    const customerId = randomUUID();
    const lost = purchaseCompleted({ customerId, amountCents: 12_000 });
    const lostToo = purchaseCompleted({ customerId, amountCents: 15_000 });
    const delivered = purchaseCompleted({ customerId, amountCents: 20_000 });
    const tooRecent = purchaseCompleted({ customerId, amountCents: 13_000 });
    await inRetailsOutbox(lost, 30);
    await inRetailsOutbox(lostToo, 20);
    await inRetailsOutbox(delivered, 10);
    await inRetailsOutbox(tooRecent, 1);
    await awardPurchasePoints({ purchase: delivered, lotLifetimeDays: 365, now: NOW });

    expect(await reconcile()).toEqual({ checked: 3, recovered: 2 });
    expect(await reconcile()).toEqual({ checked: 0, recovered: 0 });

    const lots = await earnedLots(customerId);
    expect(lots.map((lot) => "lotId" in lot && lot.lotId).sort()).toEqual([delivered.eventId, lost.eventId, lostToo.eventId].sort());
    // Two minutes on, the recent one has settled and is still not recorded: now it is taken over too.
    expect(await reconcile(new Date(NOW.getTime() + 2 * MINUTE))).toEqual({ checked: 1, recovered: 1 });
    expect(await earnedLots(customerId)).toHaveLength(4);
  });

  it("runs one reconciler at a time, and none awards a purchase twice", async () => {
    const customerId = randomUUID();
    for (let minutes = 40; minutes > 30; minutes -= 1) await inRetailsOutbox(purchaseCompleted({ customerId }), minutes);

    const runs = await Promise.all([reconcile(), reconcile(), reconcile()]);

    const finished = runs.filter((run) => run !== null);
    expect(finished.reduce((sum, run) => sum + run.recovered, 0)).toBe(10);
    expect(await earnedLots(customerId)).toHaveLength(10);
    const [processed] = await sqlPool.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM loyalty_processed_messages`);
    expect(processed?.n).toBe(10);
  });
});
