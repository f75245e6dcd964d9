import { purchaseCompletedSchema, type PurchaseCompleted } from "@/server/retail/checkout/purchase-completed";
import { sql, sqlPool } from "@/server/sql";

/**
 * Retail's published feed of its PurchaseCompleted events, oldest first: for a consumer that must see every purchase
 * whatever happened to the messages (Loyalty's reconciler), through this and never from Retail's tables. `after` is
 * an opaque position from an earlier page (null: from the start); only events written before `writtenBefore` are
 * given, so a consumer can leave the newest to the queue.
 */
export type PurchaseFeedPage = { events: PurchaseCompleted[]; next: string | null };
export type PurchaseFeed = (options: { after: string | null; writtenBefore: Date; limit: number }) => Promise<PurchaseFeedPage>;

export const readPurchaseFeed: PurchaseFeed = async ({ after, writtenBefore, limit }) => {
  const [afterAt, afterId] = after ? after.split("|") : ["-infinity", "00000000-0000-0000-0000-000000000000"];
  const rows = await sqlPool.rows<{ id: string; payload: unknown; position: string }>(sql`
    SELECT id, payload, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '|' || id AS position
      FROM outbox_messages
     WHERE event_type = 'PurchaseCompleted'
       AND (created_at, id) > (${afterAt}::timestamptz, ${afterId}::uuid)
       AND created_at < ${writtenBefore}
     ORDER BY created_at, id LIMIT ${limit}::int`);
  return { events: rows.map((row) => purchaseCompletedSchema.parse(row.payload)), next: rows.at(-1)?.position ?? after };
};
