import { UnrecoverableError, Worker, type Job, type Processor, type WorkerOptions } from "bullmq";
import { createWorkerConnection, type RedisConnection } from "@/server/queues/connections";
import {
  InvalidJobPayloadError,
  isJobName,
  parseJobPayload,
  type JobName,
  type JobPayload,
  type QueueDefinition,
  queueConnectionOptions,
} from "@/server/queues/define-queue";
import { QUEUE_METRICS } from "@/server/queues/queue-metrics";
import { logger } from "@/server/logger";

/** The raw BullMQ job, for what only BullMQ knows (id, attemptsMade, updateProgress); use the payload for data. */
export type RawJob = Job<unknown, unknown, string>;

/** One handler per job of the queue, each receiving its job's validated payload. */
export type JobHandlers<D extends QueueDefinition> = {
  readonly [N in JobName<D>]: (payload: JobPayload<D, N>, job: RawJob) => Promise<unknown>;
};

export type CreateQueueWorkerOptions = Omit<WorkerOptions, "connection" | "autorun">;

/** A Worker that also closes its connection: BullMQ leaves a connection it was handed open on close(). */
class QueueWorker extends Worker<unknown, unknown, string> {
  constructor(
    name: string,
    processor: Processor<unknown, unknown, string>,
    options: CreateQueueWorkerOptions,
    private readonly connection: RedisConnection,
  ) {
    // Every worker counts the jobs it finishes per minute (the queues page's "completed in the last hour").
    super(name, processor, { metrics: QUEUE_METRICS, ...options, ...queueConnectionOptions(name, connection) });
  }

  /** Waits for the active jobs (unless forced), then closes the worker and its connection. */
  override async close(force = false): Promise<void> {
    await super.close(force);
    if (this.connection.status === "end") return;
    await this.connection.quit().catch(() => this.connection.disconnect());
  }
}

/**
 * A BullMQ Worker for the queue on a connection of its own. It re-validates each payload before routing it to the
 * handler for its job name: a payload that does not match, or a job name the queue does not define, fails the job
 * with UnrecoverableError, since retrying cannot fix the data. Every failure is logged by the `failed` listener.
 */
export function createQueueWorker<D extends QueueDefinition>(
  definition: D,
  handlers: JobHandlers<D>,
  options: CreateQueueWorkerOptions = {},
): Worker<unknown, unknown, string> {
  const queueName = definition.name;
  const processor = async (job: RawJob): Promise<unknown> => {
    if (!isJobName(definition, job.name)) {
      throw new UnrecoverableError(`Queue "${queueName}" has no job named "${job.name}"`);
    }
    let payload: JobPayload<D, typeof job.name>;
    try {
      payload = parseJobPayload(definition, job.name, job.data);
    } catch (error) {
      if (!(error instanceof InvalidJobPayloadError)) throw error;
      // The message names the wrong fields and broken rules, not the values (which may be personal data); the
      // `failed` listener logs it.
      throw new UnrecoverableError(error.message);
    }
    // Sound: the payload was just parsed with the schema of this very job name.
    const handler = handlers[job.name] as (payload: unknown, job: RawJob) => Promise<unknown>;
    return handler(payload, job);
  };

  const worker = new QueueWorker(queueName, processor, options, createWorkerConnection());
  // Without an `error` listener a Redis outage would surface as an unhandled `error` event.
  worker.on("error", (error) => logger.error({ err: error, queue: queueName }, "Queue worker error"));
  // Also catches failures the processor never sees, such as a job that stalled too often.
  worker.on("failed", (job, error) => {
    const attempts = job?.opts.attempts ?? 1;
    const final = !job || error instanceof UnrecoverableError || job.attemptsMade >= attempts;
    logger[final ? "error" : "warn"](
      { err: error, queue: queueName, jobName: job?.name, jobId: job?.id, attemptsMade: job?.attemptsMade, attempts },
      final ? "Job failed" : "Job failed, will retry",
    );
  });
  return worker;
}
