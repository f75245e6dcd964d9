import { withKnownQueue } from "./known-queue";
import { toJobSummary, type QueueJobDetail } from "./queue-job-view";

/**
 * One job with its payload, attempts and error, or null when it is no longer in the queue (finished and removed,
 * retried away, or Redis lost its data). Stack traces only `withStacks` (admins), as on the saga detail.
 */
export function getQueueJob(options: { queue: string; jobId: string; withStacks: boolean }): Promise<QueueJobDetail | null> {
  return withKnownQueue(options.queue, async (queue) => {
    const job = await queue.getJob(options.jobId);
    if (!job?.id) return null;
    const state = await job.getState();
    if (state === "unknown") return null;
    return {
      ...toJobSummary(job),
      queue: options.queue,
      state,
      data: job.data as unknown,
      returnValue: (job.returnvalue as unknown) ?? null,
      stacktrace: options.withStacks ? (job.stacktrace ?? []) : null,
    };
  });
}
