import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

await vi.hoisted(async () => {
  const { useCheckoutTestTimings } = await import("@/server/testing/checkout-workers");
  useCheckoutTestTimings();
});

import pg from "pg";
import { db } from "@/server/db";
import { fundedCustomer, startAcceptedCheckout, waitForCheckout } from "@/server/testing/checkout-flow";
import { startCheckoutWorkers } from "@/server/testing/checkout-workers";
import { closeCheckoutSuite, openCheckoutSuite } from "@/server/testing/checkout-suite";
import { createTestProduct, truncateShop } from "@/server/testing/database";
import { sql, type SqlClient } from "@/server/sql";
import { integrationServices } from "@/server/testing/test-databases";
import { latestInvariantAudit, runInvariantAudit } from "./run-invariant-audit";

/** The standing auditor over a shop that really sold and really failed to sell, then over one broken on purpose. */
beforeAll(async () => {
  await openCheckoutSuite();
  await startCheckoutWorkers(1, { name: "audited" });
});
afterAll(closeCheckoutSuite);
beforeEach(truncateShop);

async function shopWithCheckouts() {
  const product = await createTestProduct({ onHand: 5, salePriceCents: 12_000 });
  const rich = await fundedCustomer(50_000, "Rich");
  const short = await fundedCustomer(1_000, "Short");
  const bought = await startAcceptedCheckout(rich.client, { productSlug: product.slug });
  const refused = await startAcceptedCheckout(short.client, { productSlug: product.slug });
  expect((await waitForCheckout(rich.client, bought)).status).toBe("completed");
  expect((await waitForCheckout(short.client, refused)).status).toBe("compensated");
  return { product, rich };
}

describe("the invariant auditor", () => {
  it("finds every invariant holding after real checkouts, says what it checked, and stores the run", async () => {
    await shopWithCheckouts();

    const run = await runInvariantAudit();

    expect(run?.violations).toEqual([]);
    expect(run?.checks).toEqual([
      { rule: "stock", checked: 1 },
      { rule: "wallet balance = ledger", checked: 2 },
      { rule: "checkout exactly once", checked: 2 },
      { rule: "money conserved", checked: 2 },
    ]);
    expect(await latestInvariantAudit()).toEqual(run);
  });

  it("names the rows that break a rule: a balance moved without its ledger, stock reserved without a reservation", async () => {
    const { product, rich } = await shopWithCheckouts();
    // The ledger is append-only, so break the balance instead, and the stock counter behind the reservations' back.
    await db.wallet.update({ where: { customerId: rich.profile.id }, data: { balanceCents: { increment: 500 } } });
    await db.inventory.update({ where: { productId: product.id }, data: { reserved: { increment: 1 } } });

    const run = await runInvariantAudit();

    const wallet = await db.wallet.findUniqueOrThrow({ where: { customerId: rich.profile.id } });
    expect(run?.violations).toEqual([
      { rule: "stock", subject: `product ${product.id}`, detail: "on_hand 4, reserved 1, held reservations 0" },
      { rule: "wallet balance = ledger", subject: `wallet ${wallet.id}`, detail: `balance ${wallet.balanceCents} but the ledger sums to ${wallet.balanceCents - 500}` },
    ]);
    expect((await latestInvariantAudit())?.violations).toHaveLength(2);
  });

  it("names a checkout done twice: its PurchaseCompleted published twice, and only that checkout", async () => {
    await shopWithCheckouts();
    const [event] = await db.$queryRaw<{ id: string; checkout_id: string }[]>`
      SELECT m.id::text, o.checkout_id::text FROM outbox_messages m JOIN orders o ON m.payload->>'orderId' = o.id::text
       WHERE m.event_type = 'PurchaseCompleted'`;
    await db.$executeRaw`
      INSERT INTO outbox_messages (id, event_type, payload)
      SELECT gen_random_uuid(), event_type, payload FROM outbox_messages WHERE id = ${event!.id}::uuid`;

    const run = await runInvariantAudit();

    expect(run?.violations).toEqual([
      { rule: "checkout exactly once", subject: `checkout ${event!.checkout_id} (completed)`, detail: "completed with 2 PurchaseCompleted events" },
    ]);
  });

  it("records the checks another context adds, in the same run; one that fails is a violation of its rule, not a lost run", async () => {
    await shopWithCheckouts();
    const added = { rule: "added", audit: async () => ({ checks: [{ rule: "added", checked: 3 }], violations: [{ rule: "added", subject: "row 7", detail: "differs" }] }) };
    const failing = { rule: "failing", audit: async (client: SqlClient) => client.rows(sql`SELECT * FROM no_such_table`).then(() => ({ checks: [], violations: [] })) };

    const run = await runInvariantAudit({ alsoCheck: [failing, added] });

    expect(run?.checks.slice(-2)).toEqual([{ rule: "failing", checked: 0 }, { rule: "added", checked: 3 }]);
    expect(run?.violations).toEqual([
      { rule: "failing", subject: "the audit", detail: 'the check itself failed: relation "no_such_table" does not exist' },
      { rule: "added", subject: "row 7", detail: "differs" },
    ]);
    expect(await latestInvariantAudit()).toEqual(run);
  });

  it("runs one at a time: while another worker audits, a second one stands down and stores nothing", async () => {
    const other = new pg.Client({ connectionString: integrationServices().databaseUrl });
    await other.connect();
    try {
      // What an audit in flight on another worker holds.
      await other.query("BEGIN");
      await other.query("SELECT pg_advisory_xact_lock(hashtext('invariant-audit'))");
      expect(await runInvariantAudit()).toBeNull();
      await other.query("COMMIT");
      expect(await runInvariantAudit()).not.toBeNull();
    } finally {
      await other.end();
    }
    expect(await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM invariant_audits`).toEqual([{ n: 1 }]);
  });
});
