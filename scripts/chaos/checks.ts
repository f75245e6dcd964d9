import { isDeepStrictEqual } from "node:util";
import type pg from "pg";
import { benchClient } from "../bench/lib/bench-db";
import { createProgress, type InvariantResult } from "../bench/lib/report";
import { moneyInvariants } from "../bench/lib/shop-invariants";
import type { Load } from "./shoppers";

/** After the faults: waiting for the shop to settle, then holding it to every invariant and to what shoppers were told. */

/** What is still in motion: each must reach 0 for the shop to have settled. */
const IN_MOTION = {
  "sagas running or compensating": "SELECT count(*)::int AS n FROM saga_instances WHERE status IN ('running', 'compensating')",
  "events not yet published": "SELECT count(*)::int AS n FROM outbox_messages WHERE published_at IS NULL AND dead_lettered_at IS NULL",
  "purchases Loyalty has not handled": `
    SELECT count(*)::int AS n FROM outbox_messages o
     WHERE o.event_type = 'PurchaseCompleted'
       AND NOT EXISTS (SELECT 1 FROM loyalty_processed_messages m WHERE m.message_id = o.payload->>'eventId')`,
  "projections behind the log": `
    SELECT count(*)::int AS n FROM loyalty_projection_checkpoints
     WHERE position < (SELECT coalesce(max(position), 0) FROM loyalty_point_events)`,
};

/** Waits until nothing is in motion, or `settleS` passes; returns how long it took, or what was still moving. */
export async function waitForQuiescence(databaseUrl: string, settleS: number): Promise<{ settledMs: number | null; moving: Record<string, number> }> {
  const client = await connectWhenUp(databaseUrl, settleS * 1_000);
  const progress = createProgress({ plainEveryMs: 10_000 });
  const started = performance.now();
  try {
    for (;;) {
      const moving: Record<string, number> = {};
      for (const [what, query] of Object.entries(IN_MOTION)) {
        const n = (await client.query<{ n: number }>(query)).rows[0]?.n ?? 0;
        if (n > 0) moving[what] = n;
      }
      const elapsedMs = performance.now() - started;
      if (Object.keys(moving).length === 0) {
        progress.done(`  ✓ settled ${(elapsedMs / 1000).toFixed(1)} s after the load`);
        return { settledMs: elapsedMs, moving };
      }
      if (elapsedMs > settleS * 1_000) {
        progress.done(`  ✗ not settled after ${settleS} s: ${describe(moving)}`);
        return { settledMs: null, moving };
      }
      progress.update(`  settling… ${(elapsedMs / 1000).toFixed(0)} s: ${describe(moving)}`);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  } finally {
    await client.end();
  }
}

function describe(counts: Record<string, number>): string {
  return Object.entries(counts).map(([what, n]) => `${n} ${what}`).join(", ");
}

/** The database may still be coming back from the last fault. */
async function connectWhenUp(databaseUrl: string, timeoutMs: number): Promise<pg.Client> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    try {
      return await benchClient(databaseUrl);
    } catch (error) {
      if (performance.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

export type ChaosTally = { lost: number; double: number };

/** Every invariant, and every shopper's view held against the database. */
export async function checkChaosInvariants(databaseUrl: string, load: Load): Promise<{ results: InvariantResult[]; tally: ChaosTally }> {
  const results: InvariantResult[] = [];
  const check = (name: string, ok: boolean, detail: string) => results.push({ name, ok, detail });
  const tally: ChaosTally = { lost: 0, double: 0 };
  const client = await connectWhenUp(databaseUrl, 30_000);
  try {
    const sagas = (await client.query<{ status: string; n: number }>("SELECT status::text, count(*)::int AS n FROM saga_instances GROUP BY status")).rows;
    const count = (status: string) => sagas.find((row) => row.status === status)?.n ?? 0;
    const unfinished = count("running") + count("compensating");
    check("every saga finished, none needs an operator", unfinished + count("needs_attention") === 0,
      `${count("completed")} completed, ${count("compensated")} compensated, ${unfinished} unfinished, ${count("needs_attention")} need attention`);
    tally.lost += unfinished;

    const checkouts = load.shoppers.flatMap((shopper) => shopper.checkouts);
    const unanswered = checkouts.filter((checkout) => !checkout.status).length;
    check("every checkout a shopper started, they saw finish", unanswered === 0, `${unanswered} of ${checkouts.length} without a final status`);
    tally.lost += unanswered;

    const inDatabase = new Map(
      (await client.query<{ id: string; status: string }>("SELECT id::text, status::text FROM saga_instances WHERE id = ANY($1::uuid[])", [
        checkouts.map((checkout) => checkout.checkoutId),
      ])).rows.map((row) => [row.id, row.status]),
    );
    const differing = checkouts.filter((checkout) => checkout.status && inDatabase.get(checkout.checkoutId) !== checkout.status);
    check("what each shopper was told is what the database holds", differing.length === 0 && inDatabase.size === checkouts.length,
      `${differing.length} differ, ${checkouts.length - inDatabase.size} missing`);

    const wallets = await walletsOffByShopper(client, load);
    check("every shopper's wallet = their top-ups − what they paid for their completed orders", wallets.off.length === 0,
      `${wallets.checked} wallets, ${wallets.off.length} off${wallets.off.length ? `: ${wallets.off.slice(0, 3).join("; ")}` : ""}`);
    tally.lost += wallets.off.length;

    const { runInvariantAudit } = await import("@/server/retail/invariants/run-invariant-audit");
    // The workers' own audit may hold the lock (one at a time) for a moment: ask until this one runs.
    let audit = await runInvariantAudit();
    for (let attempt = 0; !audit && attempt < 30; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      audit = await runInvariantAudit();
    }
    const violations = audit?.violations ?? [];
    check("the standing auditor finds nothing (stock, wallets, money, exactly once)", audit !== null && violations.length === 0,
      audit ? `${audit.checks.length} rules, ${violations.length} violations${violations.length ? `: ${JSON.stringify(violations.slice(0, 3))}` : ""}` : "another audit held the lock");

    const money = await moneyInvariants(client);
    results.push(money.ledger, money.money);

    const stock = (await client.query<{ held: number; reserved: number }>(`
      SELECT (SELECT count(*)::int FROM reservations WHERE status = 'held') AS held,
             (SELECT coalesce(sum(reserved), 0)::int FROM inventory) AS reserved`)).rows[0]!;
    check("no stock left reserved once every checkout finished", stock.held === 0 && stock.reserved === 0, `${stock.held} held reservations, ${stock.reserved} units reserved`);

    const points = await pointsPerPurchase(client);
    check("every purchase handled by Loyalty (none lost)", points.unhandled === 0, `${points.purchases} purchases, ${points.unhandled} never handled`);
    check("points awarded at most once per purchase", points.awardedTwice === 0, `${points.awardedTwice} purchases with more than one PointsEarned`);
    check("each order's PurchaseCompleted published once", points.publishedTwice === 0, `${points.publishedTwice} orders with more than one`);
    tally.lost += points.unhandled;
    tally.double += points.awardedTwice + points.publishedTwice;

    const spent = await pointsAtCheckout(client);
    check("points at checkout: used once by a completed order, given back by an undone one", spent.off === 0,
      `${spent.checkouts} checkouts with points (${spent.used} points used), ${spent.off} off`);
    tally.lost += spent.off;

    const replay = await projectionsAgainstReplay();
    check("projections = a replay of the point-event log", replay.differing.length === 0, `${replay.events} events; ${replay.differing.join(", ") || "all three projections equal"}`);

    check("no answer but 503 while a service was down (no other 5xx, no silence, no 4xx the shopper did not cause)", load.unexpected.length === 0,
      `${load.unexpected.length} unexpected${load.unexpected.length ? `: ${load.unexpected.slice(0, 3).map((each) => `${each.procedure} ${each.what}`).join("; ")}` : ""}`);
  } finally {
    await client.end();
  }
  return { results, tally };
}

async function walletsOffByShopper(client: pg.Client, load: Load): Promise<{ checked: number; off: string[] }> {
  const { rows } = await client.query<{ email: string; balance_cents: number }>(
    "SELECT c.email, w.balance_cents FROM customers c JOIN wallets w ON w.customer_id = c.id WHERE c.email = ANY($1::text[])",
    [load.shoppers.map((shopper) => shopper.email)],
  );
  const balances = new Map(rows.map((row) => [row.email, row.balance_cents]));
  const off: string[] = [];
  for (const shopper of load.shoppers) {
    // What the shop told them each order was paid from the wallet: its price less whatever points took off.
    const paid = shopper.checkouts
      .filter((checkout) => checkout.status === "completed")
      .reduce((sum, checkout) => sum + (checkout.paidCents ?? checkout.amountCents), 0);
    const expected = shopper.toppedUpCents - paid;
    const balance = balances.get(shopper.email) ?? (shopper.toppedUpCents === 0 ? 0 : undefined);
    if (balance !== expected) off.push(`${shopper.email}: ${balance ?? "no wallet"} ≠ ${expected}`);
  }
  return { checked: load.shoppers.length, off };
}

/**
 * Done once, by what each context kept: every purchase event handled by Loyalty, at most one PointsEarned per purchase,
 * at most one PurchaseCompleted per order. (Two debits or two orders for one checkout cannot even be written: their
 * idempotency key and checkout id are unique; the auditor checks the rest of "exactly once".)
 */
async function pointsPerPurchase(client: pg.Client): Promise<{ purchases: number; unhandled: number; awardedTwice: number; publishedTwice: number }> {
  const { rows } = await client.query<{ purchases: number; unhandled: number; awarded_twice: number; published_twice: number }>(`
    SELECT (SELECT count(*)::int FROM outbox_messages WHERE event_type = 'PurchaseCompleted') AS purchases,
           (SELECT count(*)::int FROM outbox_messages o
             WHERE o.event_type = 'PurchaseCompleted'
               AND NOT EXISTS (SELECT 1 FROM loyalty_processed_messages m WHERE m.message_id = o.payload->>'eventId')) AS unhandled,
           (SELECT count(*)::int FROM (
              SELECT caused_by FROM loyalty_point_events WHERE type = 'PointsEarned' GROUP BY caused_by HAVING count(*) > 1) twice) AS awarded_twice,
           (SELECT count(*)::int FROM (
              SELECT payload->>'orderId' FROM outbox_messages WHERE event_type = 'PurchaseCompleted' GROUP BY 1 HAVING count(*) > 1) twice) AS published_twice`);
  const row = rows[0]!;
  return { purchases: row.purchases, unhandled: row.unhandled, awardedTwice: row.awarded_twice, publishedTwice: row.published_twice };
}

/**
 * Each checkout that asked for points, held against what Loyalty's log says it took and gave back: a completed one
 * took exactly the points its order records, an undone one took nothing in the end.
 */
async function pointsAtCheckout(client: pg.Client): Promise<{ checkouts: number; used: number; off: number }> {
  const { rows } = await client.query<{ checkouts: number; used: number; off: number }>(`
    WITH asked AS (
      SELECT s.id, s.status, coalesce(o.points_used, 0) AS used FROM saga_instances s
        LEFT JOIN orders o ON o.checkout_id = s.id
       WHERE s.saga_type = 'checkout' AND coalesce((s.input->>'pointsToUse')::int, 0) > 0
    ), taken AS (
      SELECT data->>'checkoutId' AS checkout_id,
             sum(CASE type WHEN 'PointsRedeemed' THEN (data->>'points')::int ELSE -(data->>'points')::int END)::int AS net
        FROM loyalty_point_events WHERE type IN ('PointsRedeemed', 'PointsRestored') AND data ? 'checkoutId' GROUP BY 1
    )
    SELECT count(*)::int AS checkouts, coalesce(sum(asked.used), 0)::int AS used,
           count(*) FILTER (WHERE coalesce(taken.net, 0) <> CASE WHEN asked.status = 'completed' THEN asked.used ELSE 0 END)::int AS off
      FROM asked LEFT JOIN taken ON taken.checkout_id = asked.id::text`);
  return rows[0]!;
}

/** The three read models as the tables hold them and as a replay of the whole log computes them. */
async function projectionsAgainstReplay(): Promise<{ events: number; differing: string[] }> {
  const { readModelsInTables, readWholeLog, replayReadModels } = await import("@/server/testing/loyalty-replay");
  const events = await readWholeLog();
  const replayed = replayReadModels(events);
  const stored = await readModelsInTables();
  const differing = (["balances", "lots", "history"] as const).filter((model) => !isDeepStrictEqual(stored[model], replayed[model]));
  return { events: events.length, differing };
}
