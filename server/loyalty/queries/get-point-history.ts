import type { PointHistoryRow } from "@/server/loyalty/projections/point-history";
import { sql, sqlPool } from "@/server/sql";

export type PointHistoryPage = { entries: PointHistoryRow[]; nextCursor: number | null };

/** A customer's history, newest first, a page at a time; `cursor` is the version to continue below. */
export async function getPointHistory(options: {
  customerId: string;
  cursor?: number | null;
  limit: number;
}): Promise<PointHistoryPage> {
  const rows = await sqlPool.rows<{
    customer_id: string;
    event_id: string;
    version: number;
    type: PointHistoryRow["type"];
    points_delta: number;
    balance_after: number;
    occurred_at: Date;
    description: string;
  }>(sql`
    SELECT customer_id, event_id, version, type, points_delta, balance_after, occurred_at, description
      FROM loyalty_history
     WHERE customer_id = ${options.customerId}::uuid AND version < ${options.cursor ?? 2_147_483_647}
     ORDER BY version DESC LIMIT ${options.limit + 1}`);
  const entries = rows.slice(0, options.limit).map((row) => ({
    customerId: row.customer_id,
    eventId: row.event_id,
    version: row.version,
    type: row.type,
    pointsDelta: row.points_delta,
    balanceAfter: row.balance_after,
    occurredAt: row.occurred_at,
    description: row.description,
  }));
  return { entries, nextCursor: rows.length > options.limit ? (entries.at(-1)?.version ?? null) : null };
}
