import { storedPointEventOf } from "@/server/loyalty/event-store/point-event-store";
import type { StoredPointEvent } from "@/server/loyalty/points/stored-point-event";
import { sql, type SqlClient } from "@/server/sql";

/**
 * The event log as projections read it: in (transaction, position) order, and only events whose transaction — and
 * every transaction older than it — has ended. Positions come from a sequence, so an append that commits late can
 * hold a lower position than one already read; reading by position alone would skip it for ever.
 */

/** Where a reader of the log stands: after this event (xid8 and bigint, kept as text to stay exact). */
export type LogPosition = { transactionId: string; position: string };

export const START_OF_LOG: LogPosition = { transactionId: "0", position: "0" };

export type LoggedPointEvent = StoredPointEvent & { logPosition: LogPosition };

type LogRow = {
  transaction_id: string;
  position: string;
  stream_id: string;
  version: number;
  event_id: string;
  occurred_at: Date;
  type: string;
  data: unknown;
};

/** Up to `limit` events after `after`, oldest first. */
export async function readLogAfter(client: SqlClient, after: LogPosition, limit: number): Promise<LoggedPointEvent[]> {
  const rows = await client.rows<LogRow>(sql`
    SELECT transaction_id::text AS transaction_id, position::text AS position,
           stream_id, version, event_id, occurred_at, type, data
      FROM loyalty_point_events
     WHERE (transaction_id, position) > (${after.transactionId}::xid8, ${after.position}::bigint)
       AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
     ORDER BY transaction_id, position
     LIMIT ${limit}`);
  return rows.map((row) => ({
    ...storedPointEventOf(row),
    logPosition: { transactionId: row.transaction_id, position: row.position },
  }));
}
