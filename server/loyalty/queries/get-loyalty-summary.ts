import { expiringSoon, pointsValidThisWeek, type ExpiringLot } from "@/server/loyalty/projections/point-lots";
import { listPointLots } from "./list-point-lots";
import { sql, sqlPool } from "@/server/sql";
import { projectionLags } from "@/server/loyalty/projections/projection-checkpoints";

export type LoyaltySummary = {
  availablePoints: number;
  thisWeekPoints: number;
  expiringSoon: ExpiringLot[];
  /** How far the projections trail the event log: when > 0 the numbers above are about to change. */
  lag: { pendingEvents: number; behindMs: number };
};

/** A customer's points at a glance, read from the projections only (CQRS: no event is replayed here). */
export async function getLoyaltySummary(options: { customerId: string; now: Date }): Promise<LoyaltySummary> {
  const [balance] = await sqlPool.rows<{ available_points: number }>(sql`
    SELECT available_points FROM loyalty_balances WHERE customer_id = ${options.customerId}::uuid`);
  const lots = await listPointLots({ customerId: options.customerId });
  const lags = await projectionLags(sqlPool);
  return {
    availablePoints: balance?.available_points ?? 0,
    thisWeekPoints: pointsValidThisWeek(lots, options.now),
    expiringSoon: expiringSoon(lots, options.now),
    lag: {
      pendingEvents: Math.max(0, ...lags.map((lag) => lag.pendingEvents)),
      behindMs: Math.max(0, ...lags.map((lag) => lag.behindMs)),
    },
  };
}
