import type pg from "pg";
import { projectionLags } from "@/server/loyalty/projections/projection-checkpoints";
import { evaluateCampaignRules } from "@/server/loyalty/rules/evaluate-campaign-rules";
import { seededCampaignRules } from "@/server/loyalty/rules/seeded-campaign-rules";
import type { PurchaseCompleted } from "@/server/retail/checkout/purchase-completed";
import type { InvariantResult } from "../lib/report";
import { benchSqlClient } from "./bench-sql-client";

/** The points a purchase should earn under the seeded rules: what the bench expects the worker to have decided. */
export function expectedPoints(purchase: PurchaseCompleted): number {
  return evaluateCampaignRules(seededCampaignRules(), {
    amountCents: purchase.amountCents,
    occurredAt: new Date(purchase.occurredAt),
  }).points;
}

/**
 * After the worker phases: every published purchase handled exactly once, one PointsEarned per purchase that earns
 * points, streams without gaps, and read models that agree with what the bench itself expects.
 */
export async function checkPurchases(
  client: pg.Client,
  purchases: readonly PurchaseCompleted[],
  queue: { failed: number; waiting: number },
): Promise<InvariantResult[]> {
  const results: InvariantResult[] = [];
  const check = (name: string, ok: boolean, detail: string) => results.push({ name, ok, detail });
  const ids = purchases.map((purchase) => purchase.eventId);
  const earning = purchases.filter((purchase) => expectedPoints(purchase) > 0);
  const one = async (sql: string, params: unknown[] = []) =>
    (await client.query<Record<string, string | null>>(sql, params)).rows[0] ?? {};
  const n = (value: string | null | undefined) => Number(value ?? 0);

  check("no job failed for good, none left waiting", queue.failed === 0 && queue.waiting === 0, `${queue.failed} failed, ${queue.waiting} waiting`);
  const handled = await one(
    `SELECT count(*) AS total, count(*) FILTER (WHERE message_id = ANY($1::text[])) AS ours FROM loyalty_processed_messages`,
    [ids],
  );
  check(
    "every purchase handled, exactly once",
    n(handled.ours) === ids.length && n(handled.total) === ids.length,
    `${n(handled.ours)} of ${ids.length} purchases recorded as processed (${n(handled.total)} in all)`,
  );
  const events = await one(
    `SELECT count(*) AS events, count(*) FILTER (WHERE type = 'PointsEarned') AS earned,
            count(DISTINCT data->>'lotId') AS lots, count(*) FILTER (WHERE data->>'lotId' <> caused_by) AS lot_not_purchase,
            count(*) FILTER (WHERE caused_by <> ALL($1::text[])) AS strangers
       FROM loyalty_point_events`,
    [ids],
  );
  check(
    "one PointsEarned per purchase that earns points, its lot id the purchase's event id",
    n(events.events) === earning.length && n(events.earned) === earning.length && n(events.lots) === earning.length &&
      n(events.lot_not_purchase) === 0 && n(events.strangers) === 0,
    `${n(events.earned)} PointsEarned (${n(events.lots)} distinct lots) for ${earning.length} earning purchases of ${ids.length}`,
  );
  const gaps = await one(
    `SELECT count(*) AS streams, count(*) FILTER (WHERE max_version <> events OR min_version <> 1) AS gapped
       FROM (SELECT stream_id, min(version) AS min_version, max(version) AS max_version, count(*) AS events
               FROM loyalty_point_events GROUP BY stream_id) s`,
  );
  check("every stream's versions run 1, 2, 3… without a gap", n(gaps.gapped) === 0, `${n(gaps.gapped)} of ${n(gaps.streams)} streams with gaps`);

  const expectedByCustomer = new Map<string, number>();
  for (const purchase of earning) {
    expectedByCustomer.set(purchase.customerId, (expectedByCustomer.get(purchase.customerId) ?? 0) + expectedPoints(purchase));
  }
  const balances = await one(
    `SELECT count(*) FILTER (WHERE b.customer_id IS NULL OR x.customer_id IS NULL OR b.available_points <> x.points) AS wrong,
            count(*) AS customers
       FROM unnest($1::uuid[], $2::int[]) AS x(customer_id, points)
       FULL JOIN loyalty_balances b ON b.customer_id = x.customer_id`,
    [[...expectedByCustomer.keys()], [...expectedByCustomer.values()]],
  );
  check(
    "each customer's balance = the points their purchases earn under the seeded rules",
    n(balances.wrong) === 0,
    `${n(balances.wrong)} of ${n(balances.customers)} customers off`,
  );
  const models = await one(
    `SELECT (SELECT count(*) FROM loyalty_history) AS history, (SELECT count(*) FROM loyalty_lots) AS lots`,
  );
  check(
    "one history row and one lot per event",
    n(models.history) === earning.length && n(models.lots) === earning.length,
    `${n(models.history)} history rows, ${n(models.lots)} lots for ${earning.length} events`,
  );
  const lags = await projectionLags(benchSqlClient(client));
  check(
    "every projection caught up",
    lags.every((lag) => lag.pendingEvents === 0),
    lags.map((lag) => `${lag.projection} ${lag.pendingEvents} behind`).join(", "),
  );
  return results;
}
