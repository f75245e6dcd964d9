import { storedPointEventOf } from "@/server/loyalty/event-store/point-event-store";
import type { StoredPointEvent } from "@/server/loyalty/points/stored-point-event";
import { sql, type SqlClient } from "@/server/sql";

/**
 * The event log as projections read it, in position order. Appends hold one lock from their insert to their commit
 * (see appendPointEvents), so once position p is visible every lower position is too: reading "after p" never skips
 * an event. A stream's events therefore also come in version order.
 */

/** Where a reader of the log stands: after this event (a bigint, kept as text to stay exact). */
export type LogPosition = { position: string };

export const START_OF_LOG: LogPosition = { position: "0" };

export type LoggedPointEvent = StoredPointEvent & { logPosition: LogPosition };

type LogRow = {
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
    SELECT e.position::text AS position, e.stream_id, e.version, e.event_id, e.occurred_at, e.type, e.data
      FROM loyalty_point_events e
     WHERE e.position > ${after.position}::bigint
     ORDER BY e.position -- the column, not the text alias: "10" sorts before "9"
     LIMIT ${limit}`);
  return rows.map((row) => ({
    ...storedPointEventOf(row),
    logPosition: { position: row.position },
  }));
}
