import { pointLotRowOf } from "@/server/loyalty/projections/point-lots/lot-table";
import type { PointLotRow } from "@/server/loyalty/projections/point-lots";
import { sql, sqlPool } from "@/server/sql";

/** A customer's lots, soonest expiry first (the dashboard's table of lots). */
export async function listPointLots(options: { customerId: string }): Promise<PointLotRow[]> {
  const rows = await sqlPool.rows<Parameters<typeof pointLotRowOf>[0]>(sql`
    SELECT lot_id, customer_id, points, remaining, earned_at, expires_at, expired FROM loyalty_lots
     WHERE customer_id = ${options.customerId}::uuid ORDER BY expires_at, lot_id`);
  return rows.map(pointLotRowOf);
}
