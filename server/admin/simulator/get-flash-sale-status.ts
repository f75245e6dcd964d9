import { DomainError } from "@/server/errors";
import { countProcessedMessages } from "@/server/loyalty/queries/find-processed-message";
import { zeroByStatus, type SagaStatus } from "@/server/saga/saga-status";
import { sql, sqlPool } from "@/server/sql";

export type FlashSaleStatus = {
  runId: string;
  startedAt: Date;
  shoppers: number;
  /** checkout.start answered: accepted, turned away as sold out, or refused otherwise. */
  answered: number;
  turnedAway: number;
  refused: number;
  sagas: Record<SagaStatus, number>;
  unitsOnSale: number;
  /** Units the run's shoppers bought (confirmed orders). */
  sold: number;
  stock: { onHand: number; reserved: number; available: number };
  /** Units sold beyond what was on sale, or stock below zero: must stay 0. */
  oversold: number;
  /** What the shoppers' wallets paid in all (debits less refunds) vs. what their confirmed orders cost. */
  moneyTakenCents: number;
  confirmedOrdersCents: number;
  purchases: number;
  /** Purchases whose PurchaseCompleted the Loyalty worker has processed. */
  pointsAwardedPurchases: number;
  /** Every shopper answered and no saga still running or compensating. */
  finished: boolean;
};

/** The simulator's live invariant panel, from PostgreSQL: what the run's shoppers did and what it did to stock and money. */
export async function getFlashSaleStatus(options: { runId: string }): Promise<FlashSaleStatus> {
  const [run] = await sqlPool.rows<{
    started_at: Date;
    shoppers: number;
    answered: number;
    turned_away: number;
    refused: number;
    units_on_sale: number;
    on_hand: number;
    reserved: number;
    sagas: Partial<Record<SagaStatus, number>> | null;
    sold: number;
    confirmed_cents: number;
    money_taken_cents: number;
    event_ids: string[];
  }>(sql`
    WITH run AS (SELECT * FROM flash_sale_simulations WHERE id = ${options.runId}::uuid),
    run_checkouts AS (SELECT c.id FROM checkouts c, run WHERE c.customer_id = ANY(run.customer_ids)),
    run_sagas AS (SELECT s.status, s.step_outputs FROM saga_instances s JOIN run_checkouts rc ON rc.id = s.id),
    run_orders AS (SELECT o.quantity, o.total_cents FROM orders o JOIN run_checkouts rc ON rc.id = o.checkout_id)
    SELECT run.started_at, run.shoppers, run.answered, run.turned_away, run.refused, run.units_on_sale,
           i.on_hand, i.reserved,
           (SELECT jsonb_object_agg(status, n) FROM (SELECT status, count(*)::int AS n FROM run_sagas GROUP BY status) g) AS sagas,
           (SELECT COALESCE(sum(quantity), 0)::int FROM run_orders) AS sold,
           (SELECT COALESCE(sum(total_cents), 0)::int FROM run_orders) AS confirmed_cents,
           (SELECT COALESCE(-sum(e.amount_cents), 0)::int FROM wallet_entries e JOIN wallets w ON w.id = e.wallet_id
             WHERE w.customer_id = ANY(run.customer_ids) AND e.kind IN ('debit', 'refund')) AS money_taken_cents,
           ARRAY(SELECT step_outputs->'complete-order'->>'eventId' FROM run_sagas
                  WHERE step_outputs->'complete-order'->>'eventId' IS NOT NULL) AS event_ids
      FROM run JOIN inventory i ON i.product_id = run.product_id`);
  if (!run) throw new DomainError("NOT_FOUND", "There is no simulation run with that id.");
  const sagas: Record<SagaStatus, number> = { ...zeroByStatus(), ...run.sagas };
  return {
    runId: options.runId,
    startedAt: run.started_at,
    shoppers: run.shoppers,
    answered: run.answered,
    turnedAway: run.turned_away,
    refused: run.refused,
    sagas,
    unitsOnSale: run.units_on_sale,
    sold: run.sold,
    stock: { onHand: run.on_hand, reserved: run.reserved, available: run.on_hand - run.reserved },
    oversold: Math.max(0, run.sold - run.units_on_sale, -run.on_hand),
    moneyTakenCents: run.money_taken_cents,
    confirmedOrdersCents: run.confirmed_cents,
    purchases: run.event_ids.length,
    pointsAwardedPurchases: await countProcessedMessages({ messageIds: run.event_ids }),
    finished: run.answered === run.shoppers && sagas.running + sagas.compensating === 0,
  };
}
