import type pg from "pg";
import { readLogAfter, START_OF_LOG } from "@/server/loyalty/projections/point-event-log";
import type { InvariantResult } from "../lib/report";
import { benchSqlClient } from "./bench-sql-client";

/**
 * Whether the app's log reader (`readLogAfter`, what the projection processor and the rebuild read with) returns the
 * first `limit` events in position order, batch after batch, as PostgreSQL itself orders them by the column. A reader that orders differently applies a stream's events out of version order and skips or repeats events
 * at its checkpoints.
 */
export async function checkLogOrder(client: pg.Client, options: { limit: number; batchSize: number }): Promise<InvariantResult> {
  const { rows } = await client.query<{ position: string }>(
    `SELECT e.position::text AS position FROM loyalty_point_events e ORDER BY e.position LIMIT $1`,
    [options.limit],
  );
  const expected = rows.map((row) => row.position);
  const read: string[] = [];
  const sqlClient = benchSqlClient(client);
  for (let after = START_OF_LOG; read.length < expected.length; ) {
    const batch = await readLogAfter(sqlClient, after, Math.min(options.batchSize, expected.length - read.length));
    if (batch.length === 0) break;
    read.push(...batch.map((event) => event.logPosition.position));
    after = batch.at(-1)!.logPosition;
  }
  const firstDifference = expected.findIndex((position, index) => read[index] !== position);
  const ok = firstDifference === -1 && read.length === expected.length;
  return {
    name: `readLogAfter returns the log in position order (first ${expected.length} events, batches of ${options.batchSize})`,
    ok,
    detail: ok
      ? `${read.length} events in order`
      : `read ${read.length} events; first difference at #${firstDifference + 1}: position ${read[firstDifference] ?? "none"} ` +
        `where the log has ${expected[firstDifference]} (reader's first positions: ${read.slice(0, 6).join(", ")}…)`,
  };
}
