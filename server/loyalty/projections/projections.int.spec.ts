import { randomUUID } from "node:crypto";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { disconnectDb } from "@/server/db";
import { handlePointCommand } from "@/server/loyalty/event-store/handle-point-command";
import { expireDueLots } from "@/server/loyalty/expire-due-lots";
import type { PointCommand } from "@/server/loyalty/points/point-commands";
import { sql, sqlPool } from "@/server/sql";
import { truncateShop } from "@/server/testing/database";
import { readModelsInTables, readWholeLog, replayReadModels } from "@/server/testing/loyalty-replay";
import { projectPointEvents } from "./project-point-events";
import { projectionLags } from "./projection-checkpoints";
import { rebuildProjections } from "./rebuild-projections";

const DAY = 86_400_000;
const START = new Date("2026-01-05T09:00:00Z");

/**
 * A few months of points for a handful of customers: purchases, redemptions, some given back weeks later (to lots
 * that may have expired meanwhile), adjustments both ways, and lots that expire as the clock moves. Returns the clock
 * at the end.
 */
async function writeHistory(customers: string[]): Promise<Date> {
  let now = START;
  const redemptions = new Map<string, string[]>(customers.map((customerId) => [customerId, []]));
  const run = (customerId: string, command: PointCommand) =>
    handlePointCommand({ customerId, command, messageId: randomUUID(), now }).catch((error: unknown) => {
      // Redeeming more than is left is refused by the decider; the history simply has no event for it.
      if ((error as { code?: string }).code !== "INSUFFICIENT_POINTS") throw error;
    });
  for (let day = 0; day < 120; day += 3) {
    now = new Date(START.getTime() + day * DAY);
    for (const [index, customerId] of customers.entries()) {
      const lotId = randomUUID();
      const lifetime = (20 + ((day + index * 7) % 50)) * DAY;
      await run(customerId, {
        type: "EarnPoints",
        data: { lotId, orderId: randomUUID(), points: 40 + index * 10, ruleIds: [], earnedAt: now, expiresAt: new Date(now.getTime() + lifetime) },
      });
      if (day % 9 === 0) {
        const redemptionId = randomUUID();
        redemptions.get(customerId)!.push(redemptionId);
        await run(customerId, { type: "RedeemPoints", data: { redemptionId, points: 35 + index, checkoutId: randomUUID() } });
      }
      // The oldest redemption given back (one that was refused gives back nothing), and now and then again.
      if (day % 12 === 6) {
        const redemptionId = redemptions.get(customerId)!.shift();
        const times = redemptionId ? (day % 24 === 6 ? 2 : 1) : 0;
        for (let time = 0; time < times; time++) await run(customerId, { type: "RestorePoints", data: { redemptionId: redemptionId! } });
      }
      if (day % 15 === 0) {
        const credit = day % 30 === 0;
        await run(customerId, {
          type: "AdjustPoints",
          data: {
            adjustmentId: randomUUID(),
            points: credit ? 25 : -10,
            reason: credit ? "Goodwill" : "Correction",
            adjustedBy: "test",
            ...(credit ? { lotLifetimeDays: 10 } : {}),
          },
        });
      }
    }
    // Projections first: the expiry process finds due lots through the lots projection.
    await projectPointEvents(7);
    await expireDueLots({ now });
  }
  await projectPointEvents(7);
  return now;
}

async function indexNames(): Promise<string[]> {
  const rows = await sqlPool.rows<{ indexname: string }>(sql`
    SELECT indexname FROM pg_indexes WHERE tablename IN ('loyalty_balances', 'loyalty_lots', 'loyalty_history')
     ORDER BY indexname`);
  return rows.map((row) => row.indexname);
}

beforeEach(truncateShop);
afterAll(disconnectDb);

describe("the loyalty projections", () => {
  it("equal a replay of the event log after months of earning, redeeming, giving back, adjusting and expiring", async () => {
    const customers = [randomUUID(), randomUUID(), randomUUID()];
    await writeHistory(customers);

    const log = await readWholeLog();
    expect(log.filter((stored) => stored.event.type === "LotExpired").length).toBeGreaterThan(5);
    expect(log.filter((stored) => stored.event.type === "PointsRedeemed").length).toBeGreaterThan(5);
    expect(log.filter((stored) => stored.event.type === "PointsRestored").length).toBeGreaterThan(5);
    // Some went back to lots whose expiry had passed, which expired again at once.
    const expiredAgain = log.filter((stored, index) => stored.event.type === "LotExpired" && log[index - 1]?.event.type === "PointsRestored");
    expect(expiredAgain.length).toBeGreaterThan(0);
    expect(await readModelsInTables()).toEqual(replayReadModels(log));
    for (const lag of await projectionLags(sqlPool)) expect(lag).toMatchObject({ pendingEvents: 0, behindMs: 0 });
  });

  it("apply each event once when two processors run at the same time", async () => {
    const customerId = randomUUID();
    for (let index = 0; index < 60; index++) {
      await handlePointCommand({
        customerId,
        messageId: randomUUID(),
        now: START,
        command: {
          type: "EarnPoints",
          data: { lotId: randomUUID(), orderId: randomUUID(), points: 10, ruleIds: [], earnedAt: START, expiresAt: new Date(START.getTime() + DAY) },
        },
      });
    }

    await Promise.all([projectPointEvents(4), projectPointEvents(4), projectPointEvents(4)]);
    await projectPointEvents(4);

    const models = await readModelsInTables();
    expect(models.balances[customerId]).toEqual({ availablePoints: 600, lastVersion: 60 });
    expect(models).toEqual(replayReadModels(await readWholeLog()));
  });

  it("rebuilt from the log equal the live ones, under the same table and index names", async () => {
    await writeHistory([randomUUID(), randomUUID()]);
    const live = await readModelsInTables();
    const indexesBefore = await indexNames();
    const progress: number[] = [];

    const rebuilt = await rebuildProjections({ batchSize: 50, onProgress: ({ eventsApplied }) => progress.push(eventsApplied) });

    expect(rebuilt.eventsApplied).toBe((await readWholeLog()).length);
    expect(progress.at(-1)).toBe(rebuilt.eventsApplied);
    expect(await readModelsInTables()).toEqual(live);
    expect(await indexNames()).toEqual(indexesBefore);
    // The processor carries on from the rebuild's checkpoint: nothing to apply, nothing applied twice.
    expect(await projectPointEvents()).toEqual({ "available-balance": 0, "point-lots": 0, "point-history": 0 });
  });
});
