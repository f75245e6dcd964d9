import { randomUUID } from "node:crypto";
import type { PointEvent } from "@/server/loyalty/points/point-events";
import { storedPointEventSchema, type StoredPointEvent } from "@/server/loyalty/points/stored-point-event";
import { isUniqueViolation, sql, type SqlClient } from "@/server/sql";

/**
 * The Loyalty event store: one stream of point events per customer, append-only (a trigger refuses UPDATE and
 * DELETE). Appends are optimistic: the writer says which version it decided on, and loses if another got there first.
 */

/** Another writer appended to the stream after this one read it: read again, decide again. */
export class StreamVersionConflict extends Error {
  constructor(
    readonly streamId: string,
    readonly expectedVersion: number,
  ) {
    super(`Points stream ${streamId} moved past version ${expectedVersion} while this command was decided`);
    this.name = "StreamVersionConflict";
  }
}

type PointEventRow = { stream_id: string; version: number; event_id: string; occurred_at: Date; type: string; data: unknown };

/** Reads a row back through the event schema: dates become `Date`s and malformed data is refused, never guessed at. */
export function storedPointEventOf(row: PointEventRow): StoredPointEvent {
  return storedPointEventSchema.parse({
    streamId: row.stream_id,
    version: row.version,
    eventId: row.event_id,
    occurredAt: row.occurred_at,
    event: { type: row.type, data: row.data },
  });
}

/** A customer's events in order, optionally only those that had happened by `until`. */
export async function readPointStream(client: SqlClient, streamId: string, until?: Date): Promise<StoredPointEvent[]> {
  const rows = await client.rows<PointEventRow>(sql`
    SELECT stream_id, version, event_id, occurred_at, type, data FROM loyalty_point_events
     WHERE stream_id = ${streamId}::uuid AND (${until ?? null}::timestamptz IS NULL OR occurred_at <= ${until ?? null}::timestamptz)
     ORDER BY version`);
  return rows.map(storedPointEventOf);
}

/**
 * Appends events after `expectedVersion` (0 for a new stream). Throws StreamVersionConflict when the stream has moved
 * on: the unique (stream, version) index is the check, so two writers can never both append version n.
 */
export async function appendPointEvents(
  tx: SqlClient,
  append: { streamId: string; expectedVersion: number; events: readonly PointEvent[]; occurredAt: Date; causedBy: string },
): Promise<StoredPointEvent[]> {
  const stored = append.events.map((event, index) => ({
    streamId: append.streamId,
    version: append.expectedVersion + index + 1,
    eventId: randomUUID(),
    occurredAt: append.occurredAt,
    event,
  }));
  try {
    // One append at a time, from here to commit: positions then become visible in the order they were taken, so a
    // projection reading "after position p" never passes over an event that commits late with a lower position.
    // (Held for one insert and a commit; the read and the decision before it run in parallel.)
    await tx.rows(sql`SELECT pg_advisory_xact_lock(hashtext('loyalty_point_events append'))`);
    await tx.count(sql`
      INSERT INTO loyalty_point_events (event_id, stream_id, version, type, data, occurred_at, caused_by)
      SELECT event_id, ${append.streamId}::uuid, version, type, data, ${append.occurredAt}::timestamptz, ${append.causedBy}
        FROM unnest(${stored.map((s) => s.eventId)}::uuid[], ${stored.map((s) => s.version)}::int[],
                    ${stored.map((s) => s.event.type)}::text[], ${stored.map((s) => JSON.stringify(s.event.data))}::jsonb[])
             AS appended(event_id, version, type, data)`);
  } catch (error) {
    if (isUniqueViolation(error, "loyalty_point_events_stream_id_version_key")) {
      throw new StreamVersionConflict(append.streamId, append.expectedVersion);
    }
    throw error;
  }
  return stored;
}

/**
 * Records that a message is being acted on, in the transaction of the events it causes. Returns false when it was
 * acted on before (or is being acted on right now: the second transaction waits for the first, then sees it).
 */
export async function claimMessage(tx: SqlClient, messageId: string, streamId: string): Promise<boolean> {
  const claimed = await tx.count(sql`
    INSERT INTO loyalty_processed_messages (message_id, stream_id) VALUES (${messageId}, ${streamId}::uuid)
    ON CONFLICT (message_id) DO NOTHING`);
  return claimed === 1;
}

/** The events a message caused, for answering a repeated request the way the first one was answered. */
export async function eventsCausedBy(client: SqlClient, streamId: string, causedBy: string): Promise<StoredPointEvent[]> {
  const rows = await client.rows<PointEventRow>(sql`
    SELECT stream_id, version, event_id, occurred_at, type, data FROM loyalty_point_events
     WHERE stream_id = ${streamId}::uuid AND caused_by = ${causedBy} ORDER BY version`);
  return rows.map(storedPointEventOf);
}
