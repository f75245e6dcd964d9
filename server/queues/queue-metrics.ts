import { MetricsTime, type WorkerOptions } from "bullmq";

/**
 * BullMQ's per-minute counts of finished jobs, kept by every worker (the same size everywhere, as BullMQ asks). They
 * are what the queues page's "completed in the last hour" rests on: the saga steps' jobs are removed the moment they
 * finish (see saga-queue.ts), so the completed set alone always says 0. A day of minutes is ~12 KB per queue and state.
 */
export const QUEUE_METRICS: NonNullable<WorkerOptions["metrics"]> = { maxDataPoints: MetricsTime.ONE_HOUR * 24 };

/** What Queue.getMetrics answers (BullMQ 6): the running total, and one count per minute, newest first. */
export type BullMetrics = { meta: { count: number; prevTS: number; prevCount: number }; data: number[] };

const MINUTE_MS = 60_000;

/**
 * How many jobs finished in the last 60 minutes (this one included), from BullMQ's metrics. BullMQ pushes a minute's
 * count only when a job finishes in a later minute: the jobs of the minute of the last push (`prevTS`) are still in
 * `count - prevCount`, and `data[0]` is the minute before that one. Pure.
 */
export function finishedInLastHour(metrics: BullMetrics, now: Date): number {
  const { count, prevTS, prevCount } = metrics.meta;
  if (prevTS === 0) return 0;
  const minutesSincePush = Math.max(0, Math.floor(now.getTime() / MINUTE_MS) - Math.floor(prevTS / MINUTE_MS));
  if (minutesSincePush >= 60) return 0;
  const olderMinutes = metrics.data.slice(0, 59 - minutesSincePush);
  return count - prevCount + olderMinutes.reduce((sum, point) => sum + point, 0);
}
