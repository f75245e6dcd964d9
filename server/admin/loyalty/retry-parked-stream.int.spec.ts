import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { db, disconnectDb } from "@/server/db";
import { projectPointEvents } from "@/server/loyalty/projections/project-point-events";
import { signUpStaffMember, signUpTestCustomer, truncateShop } from "@/server/testing/database";
import { curePoison, earnPoints, poisonBalancesOf } from "@/server/testing/poisoned-projection";
import { RETRY_PARKED_STREAM_ACTION } from "../audit/audit-actions";

/** A customer whose balance the projector could not write: parked for available-balance. */
async function parkedCustomer(): Promise<string> {
  const customerId = randomUUID();
  await poisonBalancesOf(customerId, { message: "value out of range for type integer" });
  await earnPoints(customerId, 25);
  await projectPointEvents();
  return customerId;
}

beforeEach(truncateShop);
afterEach(curePoison);
afterAll(disconnectDb);

describe("admin.loyalty parked streams", () => {
  it("lists a parked stream with its error; an admin retries it after the fix, audited, and it is unparked", async () => {
    const admin = await signUpStaffMember("admin");
    const customerId = await parkedCustomer();

    const listed = (await admin.client.query("admin.loyalty.parkedStreams")).data();
    expect(listed).toEqual([
      expect.objectContaining({ projection: "available-balance", customerId, error: "value out of range for type integer" }),
    ]);

    await curePoison();
    const retried = await admin.client.mutate("admin.loyalty.retryParkedStream", { projection: "available-balance", customerId });
    const again = await admin.client.mutate("admin.loyalty.retryParkedStream", { projection: "available-balance", customerId });

    expect(retried.data()).toEqual({ unparked: true, message: "Replayed 1 event into available-balance: the stream is no longer parked." });
    expect(again.status).toBe(404);
    expect((await admin.client.query("admin.loyalty.parkedStreams")).data()).toEqual([]);
    expect(await db.loyaltyBalance.findUnique({ where: { customerId } })).toMatchObject({ availablePoints: 25, lastVersion: 1 });
    const audit = (await admin.client.query("admin.audit.list", { action: RETRY_PARKED_STREAM_ACTION })).data();
    expect(audit.map((entry) => [entry.targetId, entry.actorEmail, entry.outcome])).toEqual([[customerId, admin.email, retried.data().message]]);
  });

  it("lets support look but not retry, and customers neither", async () => {
    const support = await signUpStaffMember("support");
    const customer = await signUpTestCustomer();
    const customerId = await parkedCustomer();

    expect((await support.client.query("admin.loyalty.parkedStreams")).data()).toHaveLength(1);
    expect((await support.client.mutate("admin.loyalty.retryParkedStream", { projection: "available-balance", customerId })).status).toBe(403);
    expect((await customer.client.query("admin.loyalty.parkedStreams")).status).toBe(403);
    expect(await db.loyaltyParkedStream.count()).toBe(1);
  });
});
