import { sql, sqlPool } from "@/server/sql";

/** Whether Loyalty has acted on a message (a PurchaseCompleted event id), and when: the admin monitor shows it. */
export async function findProcessedMessage(options: { messageId: string }): Promise<{ processedAt: Date } | null> {
  const [row] = await sqlPool.rows<{ processed_at: Date }>(sql`
    SELECT processed_at FROM loyalty_processed_messages WHERE message_id = ${options.messageId}`);
  return row ? { processedAt: row.processed_at } : null;
}

/** How many of these messages Loyalty has acted on (the simulator's "points awarded vs purchases"). */
export async function countProcessedMessages(options: { messageIds: readonly string[] }): Promise<number> {
  const [row] = await sqlPool.rows<{ count: number }>(sql`
    SELECT count(*)::int AS count FROM loyalty_processed_messages WHERE message_id = ANY(${options.messageIds}::text[])`);
  return row?.count ?? 0;
}
