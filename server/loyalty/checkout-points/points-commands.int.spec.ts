import { randomUUID } from "node:crypto";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import type { PointsReply } from "@/server/contracts/checkout-points-messages";
import { handlePointCommand } from "@/server/loyalty/event-store/handle-point-command";
import { readPointStream } from "@/server/loyalty/event-store/point-event-store";
import { projectPointEvents } from "@/server/loyalty/projections/project-point-events";
import { availablePoints, evolvePoints, initialPointsState } from "@/server/loyalty/points/points-state";
import { pointsReplyJobId } from "@/server/queues/points-replies-queue";
import { sql, sqlPool } from "@/server/sql";
import { closeCheckoutSuite, openCheckoutSuite } from "@/server/testing/checkout-suite";
import { startLoyaltyWorker } from "@/server/testing/checkout-workers";
import { saveSeededRules } from "@/server/testing/loyalty-fixtures";
import { readModelsInTables, readWholeLog, replayReadModels } from "@/server/testing/loyalty-replay";
import {
  obliteratePointsQueues,
  pointsRepliesOnQueue,
  pointsReplyOnQueue,
  redeemCommand,
  restoreCommand,
  sendPointsCommand,
  waitForCommandJobs,
} from "@/server/testing/points-messages";

/** The checkout saga's points commands, through the loyalty worker process as production runs it. */

const WORKER_ENV = { LOYALTY_PROJECTION_INTERVAL_MS: "50", LOYALTY_COMMAND_CONCURRENCY: "25" };
const DAY = 86_400_000;

/** A lot of `points` for the customer, expiring `days` from now (a staff credit: the quickest way to hold points). */
async function givePoints(customerId: string, points: number, days = 30): Promise<string> {
  const adjustmentId = `gift-${randomUUID()}`;
  await handlePointCommand({
    customerId,
    messageId: adjustmentId,
    now: new Date(),
    command: {
      type: "AdjustPoints",
      data: { adjustmentId, points, reason: "Test points", adjustedBy: "test", expiresAt: new Date(Date.now() + days * DAY) },
    },
  });
  return adjustmentId;
}

async function eventTypes(customerId: string): Promise<string[]> {
  return (await readPointStream(sqlPool, customerId)).map((stored) => stored.event.type);
}

async function spendableNow(customerId: string): Promise<number> {
  const history = await readPointStream(sqlPool, customerId);
  return availablePoints(history.map((stored) => stored.event).reduce(evolvePoints, initialPointsState()), new Date());
}

async function storedOutcomes(checkoutId: string): Promise<Record<string, unknown>> {
  const rows = await sqlPool.rows<{ command: string; reply: unknown }>(sql`
    SELECT command, reply FROM loyalty_checkout_outcomes WHERE checkout_id = ${checkoutId}::uuid`);
  return Object.fromEntries(rows.map((row) => [row.command, row.reply]));
}

async function expectProjectionsEqualReplay(): Promise<void> {
  await projectPointEvents();
  expect(await readModelsInTables()).toEqual(replayReadModels(await readWholeLog()));
}

beforeEach(async () => {
  await openCheckoutSuite();
  await obliteratePointsQueues();
  await saveSeededRules();
});
afterAll(closeCheckoutSuite);

describe("the loyalty worker's points commands", () => {
  it("a redeem and a restore each delivered twice: one effect each, the same reply, once on the replies queue", { timeout: 60_000 }, async () => {
    await startLoyaltyWorker({ env: WORKER_ENV });
    const customerId = randomUUID();
    const soon = await givePoints(customerId, 100, 5);
    const later = await givePoints(customerId, 300, 60);
    const redeem = redeemCommand({ customerId, points: 250 });
    const { checkoutId } = redeem;

    await waitForCommandJobs([await sendPointsCommand(redeem), await sendPointsCommand(redeem)]);

    expect(await eventTypes(customerId)).toEqual(["PointsAdjusted", "PointsAdjusted", "PointsRedeemed"]);
    const redeemed = await pointsReplyOnQueue(checkoutId, "PointsRedeemedForCheckout");
    expect(redeemed).toMatchObject({
      type: "PointsRedeemedForCheckout",
      checkoutId,
      customerId,
      points: 250,
      discountCents: 12_50,
      lots: [
        { lotId: soon, points: 100 },
        { lotId: later, points: 150 },
      ],
    });
    expect((await storedOutcomes(checkoutId)).RedeemPointsForCheckout).toEqual(redeemed);
    expect(await spendableNow(customerId)).toBe(150);

    const restore = restoreCommand({ customerId, checkoutId });
    await waitForCommandJobs([await sendPointsCommand(restore), await sendPointsCommand(restore)]);

    expect(await eventTypes(customerId)).toEqual(["PointsAdjusted", "PointsAdjusted", "PointsRedeemed", "PointsRestored"]);
    expect(await pointsReplyOnQueue(checkoutId, "PointsRestoredForCheckout")).toMatchObject({ points: 250 });
    expect([...(await pointsRepliesOnQueue()).keys()].sort()).toEqual(
      [pointsReplyJobId({ checkoutId, type: "PointsRedeemedForCheckout" }), pointsReplyJobId({ checkoutId, type: "PointsRestoredForCheckout" })].sort(),
    );
    expect(await spendableNow(customerId)).toBe(400);
    await expectProjectionsEqualReplay();
    const lots = (await readModelsInTables()).lots;
    expect([lots[soon]?.remaining, lots[later]?.remaining]).toEqual([100, 300]);
  });

  it("a refusal stays a refusal: delivered again once the customer has the points, it still redeems nothing", { timeout: 60_000 }, async () => {
    await startLoyaltyWorker({ env: WORKER_ENV });
    const customerId = randomUUID();
    await givePoints(customerId, 40);
    const redeem = redeemCommand({ customerId, points: 250 });

    await waitForCommandJobs([await sendPointsCommand(redeem)]);
    const refused = await pointsReplyOnQueue(redeem.checkoutId, "PointsRedemptionRefused");
    expect(refused).toMatchObject({ reason: "You have 40 points; you asked to use 250." });

    await givePoints(customerId, 1_000);
    await waitForCommandJobs([await sendPointsCommand(redeem)]);

    expect(await eventTypes(customerId)).toEqual(["PointsAdjusted", "PointsAdjusted"]);
    expect(await storedOutcomes(redeem.checkoutId)).toEqual({ RedeemPointsForCheckout: refused });
    expect(await pointsReplyOnQueue(redeem.checkoutId, "PointsRedeemedForCheckout")).toBeUndefined();
  });

  it("a restore before the redeem: points 0, and the redeem arriving late redeems nothing", { timeout: 60_000 }, async () => {
    await startLoyaltyWorker({ env: WORKER_ENV });
    const customerId = randomUUID();
    await givePoints(customerId, 500);
    const redeem = redeemCommand({ customerId, points: 250 });

    await waitForCommandJobs([await sendPointsCommand(restoreCommand({ customerId, checkoutId: redeem.checkoutId }))]);
    await waitForCommandJobs([await sendPointsCommand(redeem)]);

    expect(await pointsReplyOnQueue(redeem.checkoutId, "PointsRestoredForCheckout")).toMatchObject({ points: 0 });
    expect(await pointsReplyOnQueue(redeem.checkoutId, "PointsRedemptionRefused")).toMatchObject({
      reason: "The checkout was cancelled before the points were used.",
    });
    expect(await eventTypes(customerId)).toEqual(["PointsAdjusted"]);
    expect(await spendableNow(customerId)).toBe(500);
  });

  it("50 redeem commands of one customer at once, on two workers, never spend more points than there are", { timeout: 120_000 }, async () => {
    await Promise.all([startLoyaltyWorker({ env: WORKER_ENV }), startLoyaltyWorker({ env: WORKER_ENV })]);
    const customerId = randomUUID();
    for (let lot = 0; lot < 4; lot++) await givePoints(customerId, 250, 10 + lot);
    const commands = Array.from({ length: 50 }, () => redeemCommand({ customerId, points: 100 }));

    const jobIds = await Promise.all(commands.map((command) => sendPointsCommand(command)));
    await waitForCommandJobs(jobIds, { timeoutMs: 90_000 });

    const replies = await Promise.all(
      commands.map(async ({ checkoutId }): Promise<PointsReply | undefined> =>
        (await pointsReplyOnQueue(checkoutId, "PointsRedeemedForCheckout")) ?? (await pointsReplyOnQueue(checkoutId, "PointsRedemptionRefused")),
      ),
    );
    const redeemed = replies.filter((reply) => reply?.type === "PointsRedeemedForCheckout");
    const refused = replies.filter((reply) => reply?.type === "PointsRedemptionRefused");
    expect([redeemed.length, refused.length]).toEqual([10, 40]);
    for (const reply of refused) expect(reply).toMatchObject({ reason: "You have 0 points; you asked to use 100." });
    expect(await spendableNow(customerId)).toBe(0);
    const log = await readWholeLog();
    expect(log.filter((stored) => stored.event.type === "PointsRedeemed")).toHaveLength(10);
    await expectProjectionsEqualReplay();
    const lots = Object.values((await readModelsInTables()).lots);
    expect(lots.map((lot) => lot.remaining)).toEqual([0, 0, 0, 0]);
  });
});
