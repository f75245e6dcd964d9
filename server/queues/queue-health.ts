import type { KeepJobs } from "bullmq";
import { getReadyProducerConnection, producerCall, type RedisConnection } from "./connections";
import { openQueueOn, type QueueDefinition } from "./define-queue";
import { finishedInLastHour } from "./queue-metrics";
import { shopQueues, type Queues } from "./registry";

export type QueueHealth = {
  queue: string;
  waiting: number;
  active: number;
  delayed: number;
  /** Failed jobs kept in Redis (what the job browser lists). */
  failed: number;
  /** Completed jobs still kept in Redis: 0 for a queue that removes its jobs when they finish (see completedKept). */
  completed: number;
  /** Jobs finished in the last 60 minutes, counted by the workers (BullMQ metrics), whether or not they are kept. */
  completedLastHour: number;
  failedLastHour: number;
  /** How long the queue keeps a completed job, in words ("removed at once", "kept 24 h, at most 10,000"). */
  completedKept: string;
  /** Worker connections BullMQ sees on the queue right now. */
  workers: number;
};

/** Job counts and connected workers per queue, read from Redis (the admin monitor's queue health panel). */
export function readQueueHealth(now: Date = new Date()): Promise<QueueHealth[]> {
  return producerCall(async () => {
    const [connection, queues] = await Promise.all([getReadyProducerConnection(), shopQueues()]);
    return readEachQueue(connection, queues, now);
  });
}

function readEachQueue(connection: RedisConnection, queues: Queues, now: Date): Promise<QueueHealth[]> {
  return Promise.all(
    Object.values(queues).map(async (definition: QueueDefinition) => {
      const queue = openQueueOn(definition, connection);
      try {
        const [counts, workers, completedMetrics, failedMetrics] = await Promise.all([
          queue.getJobCounts("waiting", "active", "delayed", "failed", "completed"),
          queue.getWorkersCount(),
          queue.getMetrics("completed", 0, 59),
          queue.getMetrics("failed", 0, 59),
        ]);
        return {
          queue: definition.name,
          waiting: counts.waiting ?? 0,
          active: counts.active ?? 0,
          delayed: counts.delayed ?? 0,
          failed: counts.failed ?? 0,
          completed: counts.completed ?? 0,
          completedLastHour: finishedInLastHour(completedMetrics, now),
          failedLastHour: finishedInLastHour(failedMetrics, now),
          completedKept: keptInWords(definition.defaultJobOptions.removeOnComplete),
          workers,
        };
      } finally {
        await queue.close();
      }
    }),
  );
}

/** A queue's removeOnComplete in words, for the column header's explanation. Pure. */
export function keptInWords(remove: boolean | number | KeepJobs | undefined): string {
  if (remove === true) return "removed at once";
  if (remove === undefined || remove === false) return "kept until removed";
  if (typeof remove === "number") return `the last ${remove.toLocaleString("en-US")} kept`;
  const age = "age" in remove ? remove.age : undefined;
  const parts = [age === undefined ? null : `kept ${hours(age)}`, remove.count === undefined ? null : `at most ${remove.count.toLocaleString("en-US")}`];
  return parts.filter(Boolean).join(", ") || "kept until removed";
}

const hours = (seconds: number) => (seconds % 86_400 === 0 && seconds >= 86_400 * 2 ? `${seconds / 86_400} days` : `${Math.round(seconds / 3600)} h`);
