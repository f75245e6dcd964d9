import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { db, disconnectDb } from "@/server/db";
import type { PointsCommand } from "@/server/contracts/checkout-points-messages";
import { pointsCommandsQueue } from "@/server/queues/points-commands-queue";
import { outboxRedisLossMarker, publishOutboxEvent } from "@/server/runtime/outbox-transport";
import { openRawQueue } from "@/server/testing/checkout-flow";
import { closeProducerConnection } from "@/server/queues/connections";
import { truncateShop } from "@/server/testing/database";
import { integrationServices } from "@/server/testing/test-databases";
import { relayOutbox } from "./relay-outbox";
import { republishAfterRedisLoss } from "./republish-after-redis-loss";

const DAY = 86_400_000;

async function outboxEvent(publishedDaysAgo: number | null): Promise<string> {
  const id = randomUUID();
  await db.outboxMessage.create({
    data: {
      id,
      eventType: "PurchaseCompleted",
      payload: { eventId: id },
      publishedAt: publishedDaysAgo === null ? null : new Date(Date.now() - publishedDaysAgo * DAY),
      publishAttempts: publishedDaysAgo === null ? 0 : 1,
    },
  });
  return id;
}

async function flushTestRedis(): Promise<void> {
  const redis = new Redis(integrationServices().redisUrl, { maxRetriesPerRequest: 1 });
  try {
    await redis.flushdb();
  } finally {
    await redis.quit();
  }
}

beforeEach(async () => {
  await truncateShop();
  await flushTestRedis();
});
afterAll(async () => {
  await closeProducerConnection();
  await disconnectDb();
});

describe("after Redis lost its data", () => {
  it("marks the events published in the last week unpublished once, so the relay publishes them again", async () => {
    const recent = await outboxEvent(0);
    const sixDaysAgo = await outboxEvent(6);
    const eightDaysAgo = await outboxEvent(8);
    const neverPublished = await outboxEvent(null);

    expect(await republishAfterRedisLoss(outboxRedisLossMarker)).toBe(2);
    expect(await republishAfterRedisLoss(outboxRedisLossMarker)).toBe(0);

    const rows = await db.outboxMessage.findMany({ select: { id: true, publishedAt: true } });
    const unpublished = rows.filter((row) => row.publishedAt === null).map((row) => row.id);
    expect(new Set(unpublished)).toEqual(new Set([recent, sixDaysAgo, neverPublished]));
    expect(unpublished).not.toContain(eightDaysAgo);
  });

  it("does nothing while Redis still holds the marker, and acts again after the next loss", async () => {
    await republishAfterRedisLoss(outboxRedisLossMarker);
    await outboxEvent(0);

    expect(await republishAfterRedisLoss(outboxRedisLossMarker)).toBe(0);
    await flushTestRedis();
    expect(await republishAfterRedisLoss(outboxRedisLossMarker)).toBe(1);
  });

  it("publishes the checkout saga's points commands again too, to Loyalty's command queue under their ids", async () => {
    const checkout = { checkoutId: randomUUID(), customerId: randomUUID(), sentAt: new Date().toISOString() };
    const commands: PointsCommand[] = [
      { type: "RedeemPointsForCheckout", ...checkout, points: 250, amountCents: 12_000 },
      { type: "RestorePointsForCheckout", ...checkout },
    ];
    const ids = commands.map(() => randomUUID());
    await db.outboxMessage.createMany({
      data: commands.map((command, index) => ({ id: ids[index]!, eventType: command.type, payload: command, publishedAt: new Date(), publishAttempts: 1 })),
    });
    await flushTestRedis();

    expect(await republishAfterRedisLoss(outboxRedisLossMarker)).toBe(2);
    // A second ago: the column keeps milliseconds, and now() rounded to them can lie after the relay's own now().
    await db.$executeRaw`UPDATE outbox_messages SET next_attempt_at = now() - interval '1 second'`;
    expect(await relayOutbox({ publish: publishOutboxEvent })).toMatchObject({ published: 2, failed: 0 });

    const queue = openRawQueue(pointsCommandsQueue.name);
    try {
      const jobs = await Promise.all(ids.map((id) => queue.queue.getJob(id)));
      expect(jobs.map((job) => job?.data)).toEqual(commands);
    } finally {
      await queue.close();
    }
  });

  it("paces a big backlog and lets a purchase made meanwhile go out first", async () => {
    const backlog = Array.from({ length: 2_500 }, () => ({
      id: randomUUID(),
      eventType: "PurchaseCompleted",
      payload: {},
      createdAt: new Date(Date.now() - DAY),
      publishedAt: new Date(Date.now() - DAY),
      publishAttempts: 1,
    }));
    await db.outboxMessage.createMany({ data: backlog });

    expect(await republishAfterRedisLoss(outboxRedisLossMarker)).toBe(2_500);
    const fresh = await outboxEvent(null);

    const due = await db.$queryRaw<{ id: string }[]>`
      SELECT id::text FROM outbox_messages WHERE published_at IS NULL AND next_attempt_at <= now() + interval '1 second'`;
    // About REPUBLISH_PER_SECOND of the backlog in its first second (not all 2,500 at once), and the new purchase.
    expect(due.length).toBeGreaterThan(100);
    expect(due.length).toBeLessThan(600);
    expect(due.map((row) => row.id)).toContain(fresh);
    const last = await db.outboxMessage.aggregate({ _max: { nextAttemptAt: true } });
    expect(last._max.nextAttemptAt!.getTime() - Date.now()).toBeGreaterThan(10_000);
  });
});
