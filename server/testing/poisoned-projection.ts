import { randomUUID } from "node:crypto";
import { db } from "@/server/db";
import { handlePointCommand } from "@/server/loyalty/event-store/handle-point-command";

/*
 * For the parked-stream tests (tests only): a customer's events written through the decider, and a poison the
 * projector cannot tell from a real one — PostgreSQL refusing the balances projection's write for one customer, as
 * it would an INTEGER overflow.
 */

export const EARNED_AT = new Date("2026-11-26T12:00:00Z");

/** Appends one PointsEarned to the customer's stream (not projected yet). */
export async function earnPoints(customerId: string, points: number): Promise<void> {
  await handlePointCommand({
    customerId,
    messageId: randomUUID(),
    now: EARNED_AT,
    command: {
      type: "EarnPoints",
      data: { lotId: randomUUID(), orderId: randomUUID(), points, ruleIds: [], earnedAt: EARNED_AT, expiresAt: new Date(EARNED_AT.getTime() + 30 * 86_400_000) },
    },
  });
}

/**
 * From now on every write of this customer's balance row fails with `message`; `errcode` makes the failure look like
 * something else (55P03, a lock timeout, is the database's, not the event's).
 */
export async function poisonBalancesOf(customerId: string, options: { message?: string; errcode?: string } = {}): Promise<void> {
  await db.$executeRawUnsafe(`
    CREATE OR REPLACE FUNCTION test_poison_balance() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.customer_id = '${customerId}'::uuid THEN
        RAISE EXCEPTION '${options.message ?? "poisoned balance"}' USING ERRCODE = '${options.errcode ?? "P0001"}';
      END IF;
      RETURN NEW;
    END $$`);
  await db.$executeRawUnsafe(`DROP TRIGGER IF EXISTS poison ON loyalty_balances`);
  await db.$executeRawUnsafe(`CREATE TRIGGER poison BEFORE INSERT OR UPDATE ON loyalty_balances FOR EACH ROW EXECUTE FUNCTION test_poison_balance()`);
}

/** The fix. */
export async function curePoison(): Promise<void> {
  await db.$executeRawUnsafe(`DROP TRIGGER IF EXISTS poison ON loyalty_balances`);
}
