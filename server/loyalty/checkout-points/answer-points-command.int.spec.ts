import { randomUUID } from "node:crypto";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import type { PointsReply } from "@/server/contracts/checkout-points-messages";
import { disconnectDb } from "@/server/db";
import { handlePointCommand } from "@/server/loyalty/event-store/handle-point-command";
import { readPointStream } from "@/server/loyalty/event-store/point-event-store";
import { projectPointEvents } from "@/server/loyalty/projections/project-point-events";
import { saveRedemptionRule } from "@/server/loyalty/rules/redemption-rule-store";
import { sql, sqlPool } from "@/server/sql";
import { truncateShop } from "@/server/testing/database";
import { saveSeededRules } from "@/server/testing/loyalty-fixtures";
import { readModelsInTables, readWholeLog, replayReadModels } from "@/server/testing/loyalty-replay";
import { redeemCommand, restoreCommand } from "@/server/testing/points-messages";
import { answerPointsCommand } from "./answer-points-command";

/** Loyalty's handler of the checkout's points commands against real PostgreSQL, its clock and its way out in hand. */

const NOW = new Date("2026-12-04T12:00:00Z");
const LOT_EXPIRES = new Date("2026-12-06T00:00:00Z");
const AFTER_EXPIRY = new Date("2026-12-07T00:00:00Z");

const sent: PointsReply[] = [];
const sendReply = async (reply: PointsReply) => {
  sent.push(reply);
};

async function givePoints(customerId: string, points: number, expiresAt: Date): Promise<string> {
  const adjustmentId = `gift-${randomUUID()}`;
  await handlePointCommand({
    customerId,
    messageId: adjustmentId,
    now: new Date(NOW.getTime() - 60_000),
    command: { type: "AdjustPoints", data: { adjustmentId, points, reason: "Test points", adjustedBy: "test", expiresAt } },
  });
  return adjustmentId;
}

async function countRows(): Promise<{ events: number; outcomes: number }> {
  const [row] = await sqlPool.rows<{ events: number; outcomes: number }>(sql`
    SELECT (SELECT count(*) FROM loyalty_point_events)::int AS events, (SELECT count(*) FROM loyalty_checkout_outcomes)::int AS outcomes`);
  return row!;
}

beforeEach(async () => {
  await truncateShop();
  await saveSeededRules();
  sent.length = 0;
});
afterAll(disconnectDb);

describe("answerPointsCommand", () => {
  it("when the reply could not be sent after the commit, the command handled again sends the same reply and writes nothing", async () => {
    const customerId = randomUUID();
    await givePoints(customerId, 300, LOT_EXPIRES);
    const command = redeemCommand({ customerId, points: 200 });
    const redisAway = async () => {
      throw new Error("Redis is away");
    };

    await expect(answerPointsCommand({ command, now: NOW, sendReply: redisAway })).rejects.toThrow("Redis is away");
    const written = await countRows();
    expect(written).toEqual({ events: 2, outcomes: 1 });

    const reply = await answerPointsCommand({ command, now: new Date(NOW.getTime() + 5_000), sendReply });
    expect(sent).toEqual([reply]);
    expect(reply).toMatchObject({ type: "PointsRedeemedForCheckout", points: 200, discountCents: 10_00, repliedAt: NOW.toISOString() });
    expect(await countRows()).toEqual(written);
  });

  it("a redelivered redeem keeps the discount it got, though the rule changed since", async () => {
    const customerId = randomUUID();
    await givePoints(customerId, 300, LOT_EXPIRES);
    const command = redeemCommand({ customerId, points: 200 });
    const first = await answerPointsCommand({ command, now: NOW, sendReply });
    await saveRedemptionRule(sqlPool, { pointsPerStep: 100, centsPerStep: 100, maxDiscountPercent: 10 });

    const again = await answerPointsCommand({ command, now: NOW, sendReply });

    expect(first).toMatchObject({ discountCents: 10_00 });
    expect(again).toEqual(first);
  });

  it("points given back to a lot whose expiry passed meanwhile expire at once; the projections still equal a replay", async () => {
    const customerId = randomUUID();
    const dying = await givePoints(customerId, 100, LOT_EXPIRES);
    const lasting = await givePoints(customerId, 200, new Date("2027-06-01T00:00:00Z"));
    const redeem = redeemCommand({ customerId, points: 150 });
    await answerPointsCommand({ command: redeem, now: NOW, sendReply });
    await projectPointEvents();

    const restored = await answerPointsCommand({ command: restoreCommand({ customerId, checkoutId: redeem.checkoutId }), now: AFTER_EXPIRY, sendReply });

    expect(restored).toMatchObject({ type: "PointsRestoredForCheckout", points: 150 });
    const tail = (await readPointStream(sqlPool, customerId)).slice(3).map((stored) => stored.event);
    expect(tail).toEqual([
      {
        type: "PointsRestored",
        data: {
          redemptionId: `checkout:${redeem.checkoutId}`,
          points: 150,
          lots: [
            { lotId: dying, points: 100 },
            { lotId: lasting, points: 50 },
          ],
          restoredAt: AFTER_EXPIRY,
          checkoutId: redeem.checkoutId,
        },
      },
      { type: "LotExpired", data: { lotId: dying, points: 100, expiredAt: LOT_EXPIRES } },
    ]);
    await projectPointEvents();
    const models = await readModelsInTables();
    expect(models).toEqual(replayReadModels(await readWholeLog()));
    expect(models.lots[dying]).toMatchObject({ remaining: 0, expired: true });
    expect(models.balances[customerId]).toMatchObject({ availablePoints: 200 });
  });

  it("two handlers of one checkout's redeem and restore at once: whichever order they take, the points add up", async () => {
    for (let round = 0; round < 10; round++) {
      const customerId = randomUUID();
      await givePoints(customerId, 300, new Date("2027-06-01T00:00:00Z"));
      const redeem = redeemCommand({ customerId, points: 200 });
      const restore = restoreCommand({ customerId, checkoutId: redeem.checkoutId });

      const [redeemed, restored] = await Promise.all([
        answerPointsCommand({ command: redeem, now: NOW, sendReply }),
        answerPointsCommand({ command: restore, now: NOW, sendReply }),
      ]);

      const types = (await readPointStream(sqlPool, customerId)).map((stored) => stored.event.type);
      if (redeemed.type === "PointsRedeemedForCheckout") {
        expect([types, restored]).toMatchObject([["PointsAdjusted", "PointsRedeemed", "PointsRestored"], { points: 200 }]);
      } else {
        expect([types, redeemed, restored]).toMatchObject([["PointsAdjusted"], { reason: "The checkout was cancelled before the points were used." }, { points: 0 }]);
      }
    }
  });
});
