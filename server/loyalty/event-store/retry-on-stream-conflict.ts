import { setTimeout as sleep } from "node:timers/promises";
import { StreamVersionConflict } from "./point-event-store";

/**
 * Enough for a burst of messages about one customer (n at once need up to n - 1 retries: each round, one wins).
 * Each conflict means another writer made progress; past this, the caller's own retry (the queue's) takes over.
 */
const MAX_CONFLICT_RETRIES = 25;

/**
 * Runs `attempt` (a transaction that reads a stream, decides and appends) again each time another writer got there
 * first (StreamVersionConflict, or a subclass for another record the decision depends on), so it decides on what
 * that writer wrote.
 */
export async function retryOnStreamConflict<T>(attempt: () => Promise<T>): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof StreamVersionConflict) || tries >= MAX_CONFLICT_RETRIES) throw error;
      // A little jitter, so two writers that just collided do not collide again in lockstep.
      await sleep(Math.random() * 5 * tries);
    }
  }
}
