import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { db, disconnectDb } from "@/server/db";
import { truncateShop } from "@/server/testing/database";
import { integrationServices } from "@/server/testing/test-databases";
import { OUTBOX_MAX_ATTEMPTS, relayOutbox, type OutboxEvent } from "./relay-outbox";

async function writeEvents(count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => randomUUID());
  for (const [index, id] of ids.entries()) {
    await db.outboxMessage.create({
      data: { id, eventType: "PurchaseCompleted", payload: { n: index }, createdAt: new Date(Date.now() - (count - index) * 1_000), nextAttemptAt: new Date(Date.now() - (count - index) * 1_000) },
    });
  }
  return ids;
}

/**
 * Makes every event that was scheduled later due now, as if its backoff had passed: a second ago, not now(), since the
 * column keeps milliseconds and now() rounded to them can lie just after the relay's own now() a moment later.
 */
const letTimePass = () => db.$executeRaw`UPDATE outbox_messages SET next_attempt_at = now() - interval '1 second' WHERE published_at IS NULL`;

beforeEach(truncateShop);
afterAll(disconnectDb);

describe("the outbox relay", () => {
  it("publishes the events behind one it cannot publish, and retries that one later", async () => {
    const [poison, second, third] = await writeEvents(3);
    const published: string[] = [];
    const publish = async (event: OutboxEvent) => {
      if (event.id === poison) throw new Error("Redis refused the job");
      published.push(event.id);
    };

    expect(await relayOutbox({ publish })).toEqual({ claimed: 3, published: 2, failed: 1, deadLettered: 0 });
    expect(published).toEqual([second, third]);
    const row = await db.outboxMessage.findUniqueOrThrow({ where: { id: poison } });
    expect(row).toMatchObject({ publishedAt: null, publishAttempts: 1, lastError: "Redis refused the job", deadLetteredAt: null });
    // Backing off: not due again on the next pass.
    expect(row.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 1_000);
    expect((await relayOutbox({ publish })).claimed).toBe(0);
  });

  it("sets an event aside as a dead letter after its last attempt, and goes on with the rest", async () => {
    const [poison] = await writeEvents(1);
    const failing = async () => {
      throw new Error("payload too large");
    };
    for (let attempt = 1; attempt < OUTBOX_MAX_ATTEMPTS; attempt += 1) {
      expect(await relayOutbox({ publish: failing })).toMatchObject({ failed: 1, deadLettered: 0 });
      await letTimePass();
    }
    expect(await relayOutbox({ publish: failing })).toMatchObject({ failed: 1, deadLettered: 1 });
    await letTimePass();

    const [fresh] = await writeEvents(1);
    const published: string[] = [];
    expect(await relayOutbox({ publish: async (event) => void published.push(event.id) })).toMatchObject({ claimed: 1, published: 1 });
    expect(published).toEqual([fresh]);
    const dead = await db.outboxMessage.findUniqueOrThrow({ where: { id: poison } });
    expect(dead).toMatchObject({ publishedAt: null, publishAttempts: OUTBOX_MAX_ATTEMPTS, lastError: "payload too large" });
    expect(dead.deadLetteredAt).toBeInstanceOf(Date);
  });

  it("holds no transaction or row lock while it talks to Redis, and other relays leave a claimed event alone", async () => {
    const [id] = await writeEvents(1);
    const other = new pg.Client({ connectionString: integrationServices().databaseUrl });
    await other.connect();
    try {
      let lockedDuringPublish: boolean | undefined;
      let otherRelayClaimed: number | undefined;
      await relayOutbox({
        publish: async () => {
          const lock = await other.query("SELECT id FROM outbox_messages WHERE id = $1 FOR UPDATE NOWAIT", [id]).then(
            () => false,
            () => true,
          );
          lockedDuringPublish = lock;
          otherRelayClaimed = (await relayOutbox({ publish: async () => {} })).claimed;
        },
      });
      expect(lockedDuringPublish).toBe(false);
      expect(otherRelayClaimed).toBe(0);
      expect((await db.outboxMessage.findUniqueOrThrow({ where: { id } })).publishedAt).toBeInstanceOf(Date);
    } finally {
      await other.end();
    }
  });
});
