import { randomUUID } from "node:crypto";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { db, disconnectDb } from "@/server/db";
import { runInvariantAudit } from "@/server/retail/invariants/run-invariant-audit";
import { inTransaction } from "@/server/sql";
import { truncateShop } from "@/server/testing/database";
import { earnPoints } from "@/server/testing/poisoned-projection";
import { auditReplaySample, REPLAY_SAMPLE_RULE, replaySampleCheck } from "./audit-replay-sample";
import { projectPointEvents } from "./project-point-events";

/** Customers in id order (the sample's order), each with a few projected events. */
async function projectedCustomers(count: number): Promise<string[]> {
  const customers = Array.from({ length: count }, () => randomUUID()).sort();
  for (const [index, customerId] of customers.entries()) {
    await earnPoints(customerId, 10 + index);
    await earnPoints(customerId, 100);
  }
  await projectPointEvents();
  return customers;
}

/** One sample, as the auditor takes it: through one REPEATABLE READ snapshot. */
const sampleOf = (sampleSize: number) => inTransaction((tx) => auditReplaySample(tx, { sampleSize }), { isolation: "repeatable read" });

beforeEach(truncateShop);
afterAll(disconnectDb);

describe("the projections = replay sample", () => {
  it("holds on a consistent shop, and names the customer and the rows when a projection row is corrupted", async () => {
    const [first, corrupted, last] = await projectedCustomers(3);

    const consistent = await runInvariantAudit({ alsoCheck: [replaySampleCheck] });
    expect(consistent?.checks).toContainEqual({ rule: REPLAY_SAMPLE_RULE, checked: 3 });
    expect(consistent?.violations).toEqual([]);

    await db.$executeRaw`UPDATE loyalty_balances SET available_points = available_points + 5 WHERE customer_id = ${corrupted}::uuid`;
    await db.$executeRaw`DELETE FROM loyalty_history WHERE customer_id = ${corrupted}::uuid AND version = 2`;
    const broken = await runInvariantAudit({ alsoCheck: [replaySampleCheck] });

    expect(broken?.violations).toEqual([
      {
        rule: REPLAY_SAMPLE_RULE,
        subject: `customer ${corrupted}`,
        detail: `available-balance: balance: {"availablePoints":116,"lastVersion":2} in the table, {"availablePoints":111,"lastVersion":2} in a replay`,
      },
      {
        rule: REPLAY_SAMPLE_RULE,
        subject: `customer ${corrupted}`,
        detail: expect.stringMatching(/^point-history: history version 2: null in the table, \{"balanceAfter":111,.*\} in a replay$/),
      },
    ]);
    expect(JSON.stringify(broken?.violations)).not.toContain(first);
    expect(JSON.stringify(broken?.violations)).not.toContain(last);
  });

  it("goes on where the last run ended, starting over once past the last customer", async () => {
    await projectedCustomers(3);

    expect((await sampleOf(2)).checks).toEqual([{ rule: REPLAY_SAMPLE_RULE, checked: 2 }]);
    expect((await sampleOf(2)).checks).toEqual([{ rule: REPLAY_SAMPLE_RULE, checked: 1 }]);
    expect((await sampleOf(2)).checks).toEqual([{ rule: REPLAY_SAMPLE_RULE, checked: 2 }]);
  });

  it("passes over a customer whose newest event is not projected yet, and one whose stream is parked", async () => {
    const [behind, parked] = await projectedCustomers(3);
    await earnPoints(behind!, 7);
    await db.$executeRaw`
      INSERT INTO loyalty_parked_streams (projection, customer_id, parked_at_position, error)
      VALUES ('point-lots', ${parked}::uuid, 1, 'poisoned')`;
    await db.$executeRaw`UPDATE loyalty_lots SET remaining = 0 WHERE customer_id = ${parked}::uuid`;

    const audit = await sampleOf(50);

    // Only the third is compared; the parked one's corrupted lots are not reported twice.
    expect(audit).toEqual({ checks: [{ rule: REPLAY_SAMPLE_RULE, checked: 1 }], violations: [] });
  });
});
