import { sql, type SqlClient } from "@/server/sql";
import type { LogPosition } from "./point-event-log";

/** The projections the loyalty worker keeps up to date, each with its own checkpoint row. */
export const PROJECTION_NAMES = ["available-balance", "point-lots", "point-history"] as const;
export type ProjectionName = (typeof PROJECTION_NAMES)[number];

/** Creates any missing checkpoint row at the start of the log (a new projection, or tables emptied by a reset). */
export async function ensureCheckpoints(client: SqlClient): Promise<void> {
  await client.count(sql`
    INSERT INTO loyalty_projection_checkpoints (projection) SELECT unnest(${[...PROJECTION_NAMES]}::text[])
    ON CONFLICT (projection) DO NOTHING`);
}

/**
 * Locks a projection's checkpoint for the rest of the transaction and returns it; null when another processor (or a
 * rebuild) holds it. The lock is what keeps two worker processes from applying the same events.
 */
export async function lockCheckpoint(tx: SqlClient, projection: ProjectionName, wait = false): Promise<LogPosition | null> {
  const rows = wait
    ? await tx.rows<LogPosition>(sql`
        SELECT position::text AS position FROM loyalty_projection_checkpoints WHERE projection = ${projection} FOR UPDATE`)
    : await tx.rows<LogPosition>(sql`
        SELECT position::text AS position FROM loyalty_projection_checkpoints WHERE projection = ${projection}
           FOR UPDATE SKIP LOCKED`);
  return rows[0] ?? null;
}

/** Moves a projection's checkpoint, in the transaction that applied the events up to it. */
export async function saveCheckpoint(tx: SqlClient, projection: ProjectionName, at: LogPosition): Promise<void> {
  await tx.count(sql`
    UPDATE loyalty_projection_checkpoints
       SET position = ${at.position}::bigint, updated_at = now()
     WHERE projection = ${projection}`);
}

export type ProjectionLag = {
  projection: ProjectionName;
  checkpoint: LogPosition;
  /** Events in the log the projection has not applied yet (counted up to 10,000). */
  pendingEvents: number;
  /** How long the oldest of those has waited, in ms (0 when caught up). */
  behindMs: number;
  updatedAt: Date;
};

/** How far each projection trails the log: what the admin API and the customer dashboard's "catching up" show. */
export async function projectionLags(client: SqlClient): Promise<ProjectionLag[]> {
  const rows = await client.rows<{
    projection: ProjectionName;
    position: string;
    updated_at: Date;
    pending: number;
    oldest_pending_at: Date | null;
  }>(sql`
    SELECT c.projection, c.position::text AS position, c.updated_at,
           (SELECT count(*)::int FROM (
              SELECT 1 FROM loyalty_point_events e WHERE e.position > c.position LIMIT 10000) pending) AS pending,
           (SELECT e.recorded_at FROM loyalty_point_events e
             WHERE e.position > c.position ORDER BY e.position LIMIT 1) AS oldest_pending_at
      FROM loyalty_projection_checkpoints c ORDER BY c.projection`);
  const now = Date.now();
  return rows.map((row) => ({
    projection: row.projection,
    checkpoint: { position: row.position },
    pendingEvents: row.pending,
    behindMs: row.oldest_pending_at ? Math.max(0, now - row.oldest_pending_at.getTime()) : 0,
    updatedAt: row.updated_at,
  }));
}
