import { logger } from "@/server/logger";
import { sql, sqlPool } from "@/server/sql";

export type OutboxEvent = { id: string; eventType: string; payload: unknown };

/** Attempts before an event is set aside as a dead letter: with the backoff below, about 40 minutes of failures. */
export const OUTBOX_MAX_ATTEMPTS = 12;
/**
 * How long a claimed event is left to the relay that claimed it before another may try it (that relay died). A pass
 * takes well under a second; the lease is shorter than a checkout's wait for Loyalty (POINTS_REPLY_TIMEOUT_MS, 15 s),
 * so a points command claimed by a relay that died still reaches Loyalty in time. A pass slower than the lease only
 * means another relay may publish an event too: its job id is the event id, and consumers de-duplicate.
 */
const CLAIM_LEASE_SECONDS = 10;
/** Backoff after the n-th failed attempt: 2^n seconds, at most five minutes. */
const MAX_BACKOFF_SECONDS = 300;

export type RelayPass = { claimed: number; published: number; failed: number; deadLettered: number };

/**
 * Publishes the events of the outbox that are due, oldest due first, and marks them published. At least once: a
 * crash between publishing and marking publishes again later, and consumers de-duplicate on the event id.
 *
 * No transaction is held while Redis is spoken to: the due events are claimed in one statement (their next attempt
 * moved a lease ahead, so other relays leave them alone, and they come back by themselves if this relay dies), then
 * published one by one, then recorded. An event that cannot be published is retried on its own schedule (backing
 * off) and never holds back the events after it; after OUTBOX_MAX_ATTEMPTS it becomes a dead letter, logged and shown
 * on the admin monitor for an operator to redrive.
 */
export async function relayOutbox(options: {
  publish: (event: OutboxEvent) => Promise<void>;
  batchSize?: number;
}): Promise<RelayPass> {
  const events = await sqlPool.rows<{ id: string; event_type: string; payload: unknown }>(sql`
    WITH due AS (
      SELECT id, next_attempt_at FROM outbox_messages
       WHERE published_at IS NULL AND dead_lettered_at IS NULL AND next_attempt_at <= now()
       ORDER BY next_attempt_at LIMIT ${options.batchSize ?? 100}
       FOR UPDATE SKIP LOCKED
    ), claimed AS (
      UPDATE outbox_messages o SET next_attempt_at = now() + ${CLAIM_LEASE_SECONDS} * interval '1 second'
        FROM due WHERE o.id = due.id
      RETURNING o.id, o.event_type, o.payload, due.next_attempt_at AS due_at
    )
    SELECT id, event_type, payload FROM claimed ORDER BY due_at`);
  const published: string[] = [];
  let failed = 0;
  let deadLettered = 0;
  for (const event of events) {
    try {
      await options.publish({ id: event.id, eventType: event.event_type, payload: event.payload });
      published.push(event.id);
    } catch (error) {
      failed += 1;
      if (await recordFailure(event.id, error)) deadLettered += 1;
    }
  }
  if (published.length > 0) {
    await sqlPool.count(sql`
      UPDATE outbox_messages SET published_at = now(), publish_attempts = publish_attempts + 1, last_error = NULL
       WHERE id = ANY(${published}::uuid[])`);
  }
  return { claimed: events.length, published: published.length, failed, deadLettered };
}

/** Counts a failed attempt and schedules the next one; true when that was the last attempt (now a dead letter). */
async function recordFailure(eventId: string, error: unknown): Promise<boolean> {
  const reason = error instanceof Error ? error.message : String(error);
  const [row] = await sqlPool.rows<{ publish_attempts: number; dead: boolean }>(sql`
    UPDATE outbox_messages
       SET publish_attempts = publish_attempts + 1,
           last_error = ${reason.slice(0, 1_000)},
           next_attempt_at = now() + least(power(2, publish_attempts + 1), ${MAX_BACKOFF_SECONDS}) * interval '1 second',
           dead_lettered_at = CASE WHEN publish_attempts + 1 >= ${OUTBOX_MAX_ATTEMPTS} THEN now() END
     WHERE id = ${eventId}::uuid
    RETURNING publish_attempts, dead_lettered_at IS NOT NULL AS dead`);
  if (row?.dead) {
    logger.error({ err: error, eventId, attempts: row.publish_attempts }, "An outbox event failed every attempt: set aside as a dead letter");
  } else {
    logger.warn({ err: error, eventId, attempts: row?.publish_attempts }, "Could not publish an outbox event; will retry it later");
  }
  return row?.dead ?? false;
}
