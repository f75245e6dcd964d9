import type { StoredPointEvent } from "@/server/loyalty/points/stored-point-event";
import { sql, type SqlClient } from "@/server/sql";
import { distinct } from "../read-model-table";
import { foldPointLots, lotIdOf, pointLotChangesOf, type PointLotRow } from "./index";

type LotRowRecord = {
  lot_id: string;
  customer_id: string;
  points: number;
  remaining: number;
  earned_at: Date;
  expires_at: Date;
  expired: boolean;
};

export function pointLotRowOf(row: LotRowRecord): PointLotRow {
  return {
    lotId: row.lot_id,
    customerId: row.customer_id,
    points: row.points,
    remaining: row.remaining,
    earnedAt: row.earned_at,
    expiresAt: row.expires_at,
    expired: row.expired,
  };
}

/** Applies a batch of events to the lots table: reads the lots they touch, folds the batch into them, writes them back. */
export async function applyToLots(tx: SqlClient, events: readonly StoredPointEvent[]): Promise<void> {
  const lotIds = distinct(events.flatMap(pointLotChangesOf).map(lotIdOf));
  if (lotIds.length === 0) return;
  const rows = await tx.rows<LotRowRecord>(sql`
    SELECT lot_id, customer_id, points, remaining, earned_at, expires_at, expired FROM loyalty_lots
     WHERE lot_id = ANY(${lotIds}::text[])`);
  const lots = foldPointLots(new Map(rows.map((row) => [row.lot_id, pointLotRowOf(row)])), events);
  const changed = lotIds.flatMap((id) => lots.get(id) ?? []);
  await tx.count(sql`
    INSERT INTO loyalty_lots (lot_id, customer_id, points, remaining, earned_at, expires_at, expired)
    SELECT * FROM unnest(${changed.map((l) => l.lotId)}::text[], ${changed.map((l) => l.customerId)}::uuid[],
                         ${changed.map((l) => l.points)}::int[], ${changed.map((l) => l.remaining)}::int[],
                         ${changed.map((l) => l.earnedAt)}::timestamptz[], ${changed.map((l) => l.expiresAt)}::timestamptz[],
                         ${changed.map((l) => l.expired)}::boolean[])
    ON CONFLICT (lot_id) DO UPDATE SET remaining = EXCLUDED.remaining, expired = EXCLUDED.expired`);
}
