import { logger } from "@/server/logger";
import { sql, sqlPool } from "@/server/sql";

/** A key the relay keeps in Redis: gone means Redis lost its data (here it keeps nothing across a restart). */
export type RedisLossMarker = { isPresent(): Promise<boolean>; place(): Promise<void> };

/**
 * How far back events are published again after Redis lost its data: longer than Loyalty is ever expected to be
 * down with events waiting for it in the queue.
 */
const REPUBLISH_WINDOW_DAYS = 7;

/**
 * An event the relay published but Loyalty had not consumed yet vanishes with Redis. When the marker is gone, every
 * event published in the last week is marked unpublished, so the relay publishes it again; consumers de-duplicate
 * on the event id, so the ones already consumed change nothing. The marker is placed only after the reset: a crash
 * in between resets again on the next pass, which is harmless. Returns how many events will be published again.
 */
export async function republishAfterRedisLoss(marker: RedisLossMarker): Promise<number> {
  if (await marker.isPresent()) return 0;
  const reset = await sqlPool.count(sql`
    UPDATE outbox_messages SET published_at = NULL
     WHERE published_at > now() - make_interval(days => ${REPUBLISH_WINDOW_DAYS})`);
  await marker.place();
  if (reset > 0) logger.warn({ events: reset }, "Redis lost its data: publishing recent outbox events again");
  return reset;
}
