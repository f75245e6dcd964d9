import type { PurchaseCompleted } from "@/server/retail/checkout/purchase-completed";
import type { PurchaseFeed } from "@/server/retail/outbox/purchase-feed";
import { logger } from "@/server/logger";
import { inTransaction, sql, sqlPool } from "@/server/sql";
import { awardPurchasePoints } from "./award-purchase-points";

const FEED = "retail-purchases";

/**
 * Nothing lost between the contexts: Retail's feed of PurchaseCompleted events is read after the last position
 * checked, and every purchase Loyalty has no record of (a message lost with Redis, a job that failed all its
 * attempts) is awarded now — once, as the queue's handler would (the event id keys it). Events younger than
 * `settleMs` are left to the queue. One reconciler at a time, however many loyalty workers run (advisory lock).
 */
export async function reconcilePurchases(options: {
  feed: PurchaseFeed;
  lotLifetimeDays: number;
  now: Date;
  settleMs?: number;
  batchSize?: number;
}): Promise<{ checked: number; recovered: number } | null> {
  return inTransaction(async (lockHolder) => {
    const [lock] = await lockHolder.rows<{ acquired: boolean }>(sql`SELECT pg_try_advisory_xact_lock(hashtext('loyalty-reconcile')) AS acquired`);
    if (!lock?.acquired) return null;
    const writtenBefore = new Date(options.now.getTime() - (options.settleMs ?? 120_000));
    let after = await readCheckpoint();
    let checked = 0;
    let recovered = 0;
    for (;;) {
      const page = await options.feed({ after, writtenBefore, limit: options.batchSize ?? 500 });
      const missing = await unrecorded(page.events);
      for (const purchase of missing) {
        await awardPurchasePoints({ purchase, lotLifetimeDays: options.lotLifetimeDays, now: options.now });
        logger.warn({ eventId: purchase.eventId, orderId: purchase.orderId }, "Reconciled a purchase Loyalty had not recorded");
      }
      checked += page.events.length;
      recovered += missing.length;
      if (page.next !== after) await saveCheckpoint(page.next);
      if (page.events.length < (options.batchSize ?? 500)) break;
      after = page.next;
    }
    return { checked, recovered };
  });
}

async function unrecorded(purchases: PurchaseCompleted[]): Promise<PurchaseCompleted[]> {
  if (purchases.length === 0) return [];
  const rows = await sqlPool.rows<{ message_id: string }>(sql`
    SELECT message_id FROM loyalty_processed_messages WHERE message_id = ANY(${purchases.map((purchase) => purchase.eventId)}::text[])`);
  const recorded = new Set(rows.map((row) => row.message_id));
  return purchases.filter((purchase) => !recorded.has(purchase.eventId));
}

async function readCheckpoint(): Promise<string | null> {
  const [row] = await sqlPool.rows<{ position: string | null }>(sql`SELECT position FROM loyalty_feed_checkpoints WHERE feed = ${FEED}`);
  return row?.position ?? null;
}

async function saveCheckpoint(position: string | null): Promise<void> {
  await sqlPool.count(sql`
    INSERT INTO loyalty_feed_checkpoints (feed, position) VALUES (${FEED}, ${position})
    ON CONFLICT (feed) DO UPDATE SET position = EXCLUDED.position, updated_at = now()`);
}
