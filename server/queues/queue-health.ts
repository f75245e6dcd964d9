import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { getReadyProducerConnection, producerCall } from "./connections";
import { queues } from "./registry";

export type QueueHealth = {
  queue: string;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  completed: number;
  /** Worker connections BullMQ sees on the queue right now. */
  workers: number;
};

/** Job counts and connected workers per queue, read from Redis (the admin monitor's queue health panel). */
export function readQueueHealth(): Promise<QueueHealth[]> {
  return producerCall(async () => readEachQueue(await getReadyProducerConnection()));
}

function readEachQueue(connection: Redis): Promise<QueueHealth[]> {
  return Promise.all(
    Object.keys(queues).map(async (name) => {
      const queue = new Queue(name, { connection });
      try {
        const counts = await queue.getJobCounts("waiting", "active", "delayed", "failed", "completed");
        const workers = await queue.getWorkersCount();
        return {
          queue: name,
          waiting: counts.waiting ?? 0,
          active: counts.active ?? 0,
          delayed: counts.delayed ?? 0,
          failed: counts.failed ?? 0,
          completed: counts.completed ?? 0,
          workers,
        };
      } finally {
        await queue.close();
      }
    }),
  );
}
