import { recordAudit, type AuditActor } from "@/server/admin/audit/record-audit";
import { DomainError } from "@/server/errors";
import { inTransaction, sql, sqlPool } from "@/server/sql";

export type DeadLetterView = {
  eventId: string;
  eventType: string;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  deadLetteredAt: Date;
};

/** The outbox events the relay gave up on (server/retail/outbox/relay-outbox.ts), newest first, and how many there are. */
export async function listDeadLetters(options: { limit?: number } = {}): Promise<{ total: number; events: DeadLetterView[] }> {
  const [row] = await sqlPool.rows<{ total: number; events: (Omit<DeadLetterView, "createdAt" | "deadLetteredAt"> & { createdAt: string; deadLetteredAt: string })[] }>(sql`
    SELECT (SELECT count(*)::int FROM outbox_messages WHERE dead_lettered_at IS NOT NULL) AS total,
           COALESCE((SELECT json_agg(json_build_object('eventId', id, 'eventType', event_type, 'attempts', publish_attempts,
                                                       'lastError', last_error, 'createdAt', created_at,
                                                       'deadLetteredAt', dead_lettered_at) ORDER BY dead_lettered_at DESC)
                       FROM (SELECT * FROM outbox_messages WHERE dead_lettered_at IS NOT NULL
                              ORDER BY dead_lettered_at DESC LIMIT ${options.limit ?? 50}::int) d), '[]'::json) AS events`);
  return {
    total: row?.total ?? 0,
    events: (row?.events ?? []).map((event) => ({ ...event, createdAt: new Date(event.createdAt), deadLetteredAt: new Date(event.deadLetteredAt) })),
  };
}

export const REDRIVE_DEAD_LETTER_ACTION = "redrive-dead-letter";

/**
 * Gives a dead letter back to the relay with a fresh set of attempts (once the cause is fixed), audited in the same
 * transaction. A second click, or an event that is not a dead letter, changes nothing and says so.
 */
export async function redriveDeadLetter(options: { eventId: string; actor: AuditActor }): Promise<{ eventId: string }> {
  return inTransaction(async (tx) => {
    const [event] = await tx.rows<{ attempts: number; last_error: string | null }>(sql`
      WITH dead AS (
        SELECT id, publish_attempts, last_error FROM outbox_messages
         WHERE id = ${options.eventId}::uuid AND dead_lettered_at IS NOT NULL FOR UPDATE
      )
      UPDATE outbox_messages o
         SET dead_lettered_at = NULL, publish_attempts = 0, next_attempt_at = now(), last_error = NULL
        FROM dead WHERE o.id = dead.id
      RETURNING dead.publish_attempts AS attempts, dead.last_error`);
    if (!event) throw new DomainError("NOT_FOUND", "That event is not a dead letter (any more): nothing to redrive.");
    await recordAudit(
      {
        actor: options.actor,
        action: REDRIVE_DEAD_LETTER_ACTION,
        targetId: options.eventId,
        outcome: "given back to the outbox relay",
        details: { attemptsBefore: event.attempts, lastError: event.last_error },
      },
      tx,
    );
    return { eventId: options.eventId };
  });
}
