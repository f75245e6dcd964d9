import { inTransaction, sql } from "@/server/sql";
import { logger } from "@/server/logger";

export type OutboxEvent = { id: string; eventType: string; payload: unknown };

/**
 * Publishes events written to the outbox, oldest first, and marks them published. At least once: a crash between
 * publishing and marking publishes again later, and consumers de-duplicate on the event id. Rows being published by
 * another relay are skipped, so any number of worker processes can relay at once.
 */
export async function relayOutbox(options: {
  publish: (event: OutboxEvent) => Promise<void>;
  batchSize?: number;
}): Promise<number> {
  return inTransaction(async (tx) => {
    const events = await tx.rows<{ id: string; event_type: string; payload: unknown }>(sql`
      SELECT id, event_type, payload FROM outbox_messages
       WHERE published_at IS NULL ORDER BY created_at LIMIT ${options.batchSize ?? 100}
       FOR UPDATE SKIP LOCKED`);
    const published: string[] = [];
    for (const event of events) {
      try {
        await options.publish({ id: event.id, eventType: event.event_type, payload: event.payload });
        published.push(event.id);
      } catch (error) {
        // Redis is down or refused: counted on this event, and all retried in order on the next pass.
        logger.warn({ err: error, eventId: event.id }, "Could not publish an outbox event; will retry");
        await tx.count(sql`
          UPDATE outbox_messages SET publish_attempts = publish_attempts + 1 WHERE id = ${event.id}::uuid`);
        break;
      }
    }
    if (published.length > 0) {
      await tx.count(sql`
        UPDATE outbox_messages SET published_at = now(), publish_attempts = publish_attempts + 1
         WHERE id = ANY(${published}::uuid[])`);
    }
    return published.length;
  });
}
