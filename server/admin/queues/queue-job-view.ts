import type { Job } from "bullmq";

/** The states the job browser lists, as BullMQ names them. */
export const JOB_STATES = ["waiting", "active", "delayed", "completed", "failed"] as const;
export type JobBrowserState = (typeof JOB_STATES)[number];

/** One job in a list: what tells jobs apart and how they fared. */
export type QueueJobSummary = {
  id: string;
  name: string;
  attemptsMade: number;
  /** How many attempts the job is allowed (1 when it was given none). */
  attemptsAllowed: number;
  addedAt: Date;
  processedAt: Date | null;
  finishedAt: Date | null;
  /** When a delayed job becomes due. */
  dueAt: Date | null;
  failedReason: string | null;
};

/** One job on its own page: the summary, its payload, its result, and (for admins) where it failed. */
export type QueueJobDetail = QueueJobSummary & {
  queue: string;
  state: JobBrowserState | "prioritized" | "waiting-children" | "unknown";
  data: unknown;
  returnValue: unknown;
  /** The stack of each failed attempt, newest last: admins only (null for support). */
  stacktrace: string[] | null;
};

const dateOf = (millis: number | undefined | null) => (millis ? new Date(millis) : null);

/** A BullMQ job as the list shows it. Pure. */
export function toJobSummary(job: Job): QueueJobSummary {
  return {
    id: job.id ?? "",
    name: job.name,
    attemptsMade: job.attemptsMade,
    attemptsAllowed: job.opts.attempts ?? 1,
    addedAt: new Date(job.timestamp),
    processedAt: dateOf(job.processedOn),
    finishedAt: dateOf(job.finishedOn),
    dueAt: job.delay > 0 ? new Date(job.timestamp + job.delay) : null,
    failedReason: job.failedReason || null,
  };
}
