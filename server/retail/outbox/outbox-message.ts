import { randomUUID } from "node:crypto";
import { sql, type SqlQuery } from "@/server/sql";

/**
 * The statement that puts a message in Retail's outbox, to run in the transaction of the change it belongs to: the
 * relay publishes it afterwards (server/runtime/outbox-transport.ts says where each type goes), at least once, under
 * its id.
 */
export function insertOutboxMessage(message: { type: string }, id: string = randomUUID()): SqlQuery {
  return sql`INSERT INTO outbox_messages (id, event_type, payload) VALUES (${id}::uuid, ${message.type}, ${JSON.stringify(message)}::jsonb)`;
}
