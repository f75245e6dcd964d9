import { randomUUID } from "node:crypto";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { db, disconnectDb } from "@/server/db";
import { OUTBOX_MAX_ATTEMPTS, relayOutbox } from "@/server/retail/outbox/relay-outbox";
import { signUpStaffMember, signUpTestCustomer, truncateShop } from "@/server/testing/database";

/** An event the relay tried OUTBOX_MAX_ATTEMPTS times, all failing. */
async function deadLetter(): Promise<string> {
  const id = randomUUID();
  await db.outboxMessage.create({ data: { id, eventType: "PurchaseCompleted", payload: {} } });
  for (let attempt = 0; attempt < OUTBOX_MAX_ATTEMPTS; attempt += 1) {
    await relayOutbox({
      publish: async () => {
        throw new Error("job rejected: payload over the limit");
      },
    });
    // A second ago: the column keeps milliseconds, and now() rounded to them can lie after the relay's own now().
    await db.$executeRaw`UPDATE outbox_messages SET next_attempt_at = now() - interval '1 second' WHERE dead_lettered_at IS NULL`;
  }
  return id;
}

beforeEach(truncateShop);
afterAll(disconnectDb);

describe("admin.outbox", () => {
  it("lists the dead letters with their last error; an admin redrives one, audited, and it is published", async () => {
    const admin = await signUpStaffMember("admin");
    const id = await deadLetter();

    const listed = (await admin.client.query("admin.outbox.deadLetters")).data();
    expect(listed.total).toBe(1);
    expect(listed.events).toEqual([
      expect.objectContaining({ eventId: id, eventType: "PurchaseCompleted", attempts: OUTBOX_MAX_ATTEMPTS, lastError: "job rejected: payload over the limit" }),
    ]);

    const redriven = await admin.client.mutate("admin.outbox.redrive", { eventId: id });
    const again = await admin.client.mutate("admin.outbox.redrive", { eventId: id });

    expect(redriven.status).toBe(200);
    expect(again.status).toBe(404);
    expect(again.error().message).toBe("That event is not a dead letter (any more): nothing to redrive.");
    expect((await admin.client.query("admin.outbox.deadLetters")).data().total).toBe(0);
    const audit = (await admin.client.query("admin.audit.list", { action: "redrive-dead-letter" })).data();
    expect(audit.map((entry) => [entry.targetId, entry.actorEmail])).toEqual([[id, admin.email]]);
    const published: string[] = [];
    await relayOutbox({ publish: async (event) => void published.push(event.id) });
    expect(published).toEqual([id]);
  });

  it("lets support look but not redrive, and customers neither", async () => {
    const support = await signUpStaffMember("support");
    const customer = await signUpTestCustomer();
    const id = await deadLetter();

    expect((await support.client.query("admin.outbox.deadLetters")).status).toBe(200);
    expect((await support.client.mutate("admin.outbox.redrive", { eventId: id })).status).toBe(403);
    expect((await customer.client.query("admin.outbox.deadLetters")).status).toBe(403);
    expect((await support.client.mutate("admin.outbox.redrive", { eventId: "not-an-id" })).status).toBe(403);
    expect((await db.outboxMessage.findUniqueOrThrow({ where: { id } })).deadLetteredAt).toBeInstanceOf(Date);
  });
});
