import { isDatabaseUnavailable } from "@/server/database-unavailable";
import { sql, type SqlClient } from "@/server/sql";
import type { LogPosition } from "./point-event-log";
import type { ProjectionName } from "./projection-checkpoints";

/**
 * Parked streams: a customer whose event a projection cannot apply is set aside for that projection, which skips
 * that customer's events from then on and goes on with everyone else's (project-point-events.ts). An admin's retry
 * replays the stream and takes it out of here (retry-parked-stream.ts); so does a rebuild, which replays every stream.
 */

export type ParkedStream = {
  projection: ProjectionName;
  customerId: string;
  /** The event the projection could not apply. */
  parkedAt: LogPosition;
  error: string;
  parkedSince: Date;
};

/**
 * Whether a failure says nothing about the event being applied: the database is away or busy (the pass fails and is
 * run again), or PostgreSQL gave up on a deadlock or a serialization conflict, which a second try gets past. Parking
 * a stream for any of these would set aside a customer whose events are fine.
 */
export function isPassingFault(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return isDatabaseUnavailable(error) || code === "40P01" || code === "40001";
}

/** What the admin monitor shows of a failure: the message, never a stack. */
export function failureMessageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.slice(0, 2_000);
}

/** The customers among `customerIds` whose stream this projection has parked. */
export async function parkedAmong(tx: SqlClient, projection: ProjectionName, customerIds: readonly string[]): Promise<Set<string>> {
  const rows = await tx.rows<{ customer_id: string }>(sql`
    SELECT customer_id FROM loyalty_parked_streams
     WHERE projection = ${projection} AND customer_id = ANY(${[...customerIds]}::uuid[])`);
  return new Set(rows.map((row) => row.customer_id));
}

/** Parks a customer's stream for a projection, in the transaction that moves the checkpoint past its event. */
export async function parkStream(
  tx: SqlClient,
  park: { projection: ProjectionName; customerId: string; at: LogPosition; error: string },
): Promise<void> {
  await tx.count(sql`
    INSERT INTO loyalty_parked_streams (projection, customer_id, parked_at_position, error)
    VALUES (${park.projection}, ${park.customerId}::uuid, ${park.at.position}::bigint, ${park.error})
    ON CONFLICT (projection, customer_id) DO NOTHING`);
}

/** Every parked stream, oldest first, for the admin monitor (there should be none; a few at worst). */
export async function listParkedStreams(client: SqlClient, options: { limit?: number } = {}): Promise<ParkedStream[]> {
  const rows = await client.rows<{ projection: ProjectionName; customer_id: string; position: string; error: string; parked_at: Date }>(sql`
    SELECT projection, customer_id, parked_at_position::text AS position, error, parked_at FROM loyalty_parked_streams
     ORDER BY parked_at, projection, customer_id LIMIT ${options.limit ?? 100}`);
  return rows.map((row) => ({
    projection: row.projection,
    customerId: row.customer_id,
    parkedAt: { position: row.position },
    error: row.error,
    parkedSince: row.parked_at,
  }));
}
