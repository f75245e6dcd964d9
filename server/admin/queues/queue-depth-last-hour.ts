import { sql, sqlPool } from "@/server/sql";

/** One 15-second slot of the depth chart: jobs waiting + active + delayed in each queue sampled then. */
export type QueueDepthSlot = { at: Date; depths: Record<string, number> };

/**
 * The queues' depth over the last hour, oldest first, from the samples the checkout workers record (see
 * server/queues/sample-queue-depth.ts). A slot no worker sampled is simply missing: the chart shows the gap.
 */
export async function queueDepthLastHour(now: Date = new Date()): Promise<QueueDepthSlot[]> {
  const rows = await sqlPool.rows<{ at: Date; depths: Record<string, number> }>(sql`
    SELECT sampled_at AS at, jsonb_object_agg(queue, waiting + active + delayed) AS depths
      FROM queue_depth_samples
     WHERE sampled_at > ${now}::timestamptz - interval '1 hour' AND sampled_at <= ${now}::timestamptz
     GROUP BY sampled_at ORDER BY sampled_at`);
  return rows;
}
