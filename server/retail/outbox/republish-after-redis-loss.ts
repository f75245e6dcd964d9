import { logger } from "@/server/logger";
import { sql, sqlPool } from "@/server/sql";

/** A key the relay keeps in Redis: gone means Redis lost its data (here it keeps nothing across a restart). */
export type RedisLossMarker = { isPresent(): Promise<boolean>; place(): Promise<void> };

/**
 * How far back events are published again after Redis lost its data: longer than Loyalty is ever expected to be
 * down with events waiting for it in the queue.
 */
const REPUBLISH_WINDOW_DAYS = 7;

/** Events set to go out again per second after a Redis loss: purchases made meanwhile, due at once, go between them. */
const REPUBLISH_PER_SECOND = 200;
/** Events reset per statement, so that no one statement walks (and locks) a whole week of the outbox. */
const REPUBLISH_CHUNK = 1_000;

/**
 * An event the relay published but Loyalty had not consumed yet vanishes with Redis. When the marker is gone, every
 * event published in the last week is marked unpublished, so the relay publishes it again; consumers de-duplicate
 * on the event id, so the ones already consumed change nothing. The backlog is reset a chunk at a time and paced
 * (each event due a little after the one before, REPUBLISH_PER_SECOND), so new purchases keep flowing while it drains.
 * The marker is placed only after the reset: a crash in between resets the rest on the next pass, which is harmless.
 * Returns how many events will be published again.
 */
export async function republishAfterRedisLoss(marker: RedisLossMarker): Promise<number> {
  if (await marker.isPresent()) return 0;
  let reset = 0;
  for (;;) {
    const chunk = await sqlPool.count(sql`
      UPDATE outbox_messages o
         SET published_at = NULL,
             next_attempt_at = now() + (${reset}::int + r.n) / ${REPUBLISH_PER_SECOND}::numeric * interval '1 second'
        FROM (SELECT id, row_number() OVER (ORDER BY created_at) AS n
                FROM (SELECT id, created_at FROM outbox_messages
                       WHERE published_at > now() - make_interval(days => ${REPUBLISH_WINDOW_DAYS})
                       ORDER BY created_at LIMIT ${REPUBLISH_CHUNK}) chunk) r
       WHERE o.id = r.id`);
    reset += chunk;
    if (chunk < REPUBLISH_CHUNK) break;
  }
  await marker.place();
  if (reset > 0) logger.warn({ events: reset, perSecond: REPUBLISH_PER_SECOND }, "Redis lost its data: publishing recent outbox events again");
  return reset;
}
