import { sql, sqlPool } from "@/server/sql";
import { getReadyProducerConnection, producerCall } from "./connections";
import { openQueueOn } from "./define-queue";
import { shopQueues } from "./registry";

/** How often the depth is sampled, and the slot a sample is filed under (so N workers write one row per slot). */
export const QUEUE_DEPTH_SAMPLE_MS = 15_000;
/** Samples older than this are pruned: the chart shows one hour, the rest is slack. */
const KEEP_MS = 2 * 60 * 60 * 1000;

export type QueueDepth = { queue: string; waiting: number; active: number; delayed: number };

/**
 * Records how many jobs wait, run and are delayed in each queue now, into PostgreSQL (which keeps the hour when Redis
 * loses its data), and prunes what is past two hours. Cheap: three counts per queue in one round trip each, one
 * INSERT, one DELETE by index. Every checkout worker runs it; the first row of a slot wins, the others add nothing.
 */
export async function sampleQueueDepth(now: Date = new Date()): Promise<{ sampled: number; pruned: number }> {
  const depths = await readQueueDepths();
  const slot = new Date(Math.floor(now.getTime() / QUEUE_DEPTH_SAMPLE_MS) * QUEUE_DEPTH_SAMPLE_MS);
  const sampled = await sqlPool.count(sql`
    INSERT INTO queue_depth_samples (queue, sampled_at, waiting, active, delayed)
    SELECT queue, ${slot}::timestamptz, waiting, active, delayed
      FROM unnest(${depths.map((d) => d.queue)}::text[], ${depths.map((d) => d.waiting)}::int[],
                  ${depths.map((d) => d.active)}::int[], ${depths.map((d) => d.delayed)}::int[]) AS d(queue, waiting, active, delayed)
        ON CONFLICT (queue, sampled_at) DO NOTHING`);
  const pruned = await sqlPool.count(sql`
    DELETE FROM queue_depth_samples WHERE sampled_at < ${new Date(now.getTime() - KEEP_MS)}::timestamptz`);
  return { sampled, pruned };
}

/** Waiting (prioritized included), active and delayed jobs per queue, from Redis. */
export function readQueueDepths(): Promise<QueueDepth[]> {
  return producerCall(async () => {
    const [connection, queues] = await Promise.all([getReadyProducerConnection(), shopQueues()]);
    return Promise.all(
      Object.keys(queues).map(async (name) => {
        const queue = openQueueOn(name, connection);
        try {
          const counts = await queue.getJobCounts("waiting", "prioritized", "active", "delayed");
          return { queue: name, waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0), active: counts.active ?? 0, delayed: counts.delayed ?? 0 };
        } finally {
          await queue.close();
        }
      }),
    );
  });
}
