import { Queue, type DefaultJobOptions, type JobsOptions } from "bullmq";
import type { z } from "zod";
import { getReadyProducerConnection, producerCall, type RedisConnection } from "@/server/queues/connections";
import { queuePrefix } from "@/server/queues/queue-prefix";
import { logger } from "@/server/logger";

/**
 * Typed queue definitions (after Infisical's queue-service): a definition ties each job name of a queue to the zod
 * schema of its payload, so enqueuing an unknown job name or a wrong payload is a compile error, and both sides check
 * the payload at run time too (the producer before sending, the worker again before handling, because anything can
 * write to Redis). Schemas should describe plain JSON data without transforms: the worker parses what the producer
 * parsed.
 */

/** Job name → payload schema. */
export type JobSchemas = Readonly<Record<string, z.ZodType>>;

export interface QueueDefinition<Name extends string = string, Jobs extends JobSchemas = JobSchemas> {
  readonly name: Name;
  readonly jobs: Jobs;
  readonly defaultJobOptions: DefaultJobOptions;
}

export type JobName<D extends QueueDefinition> = Extract<keyof D["jobs"], string>;
/** What a producer passes to enqueue (before the schema's defaults apply). */
export type JobInput<D extends QueueDefinition, N extends JobName<D>> = z.input<D["jobs"][N]>;
/** What a handler receives (after validation). */
export type JobPayload<D extends QueueDefinition, N extends JobName<D>> = z.output<D["jobs"][N]>;

/**
 * Options for one job. About `jobId`: BullMQ adds nothing when a job with that id still exists, which makes retried
 * requests safe, but only while the job exists (see removeOnComplete), so handlers must be idempotent as well.
 * BullMQ's rules for custom ids: no ':' (it separates the parts of BullMQ's Redis keys) and not an integer (BullMQ
 * numbers its own jobs with integers). The saga steps use `<sagaId>_<step>_<phase>` (sagaStepJobId).
 */
export type EnqueueOptions = Pick<
  JobsOptions,
  "jobId" | "delay" | "priority" | "attempts" | "backoff" | "lifo" | "removeOnComplete" | "removeOnFail" | "deduplication"
>;

// Redis keeps no data on disk here and runs with `noeviction`: jobs kept forever would fill it until every write
// fails. Keep a day of completed jobs (enough to inspect and to de-duplicate retries) and a week of failed ones.
const BASE_JOB_OPTIONS: DefaultJobOptions = {
  removeOnComplete: { age: 24 * 60 * 60, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 60 * 60 },
};

/** A queue definition or registry that BullMQ would reject, found when the module loads. */
export class InvalidQueueDefinitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidQueueDefinitionError";
  }
}

/** A payload that does not match its job's schema; `issues` name each wrong field. */
export class InvalidJobPayloadError extends Error {
  constructor(
    readonly queueName: string,
    readonly jobName: string,
    readonly issues: string[],
  ) {
    super(`Invalid payload for job "${jobName}" on queue "${queueName}": ${issues.join("; ")}`);
    this.name = "InvalidJobPayloadError";
  }
}

/** A job name the queue does not define (possible only where the types were bypassed, or in data read from Redis). */
export class UnknownJobNameError extends Error {
  constructor(queueName: string, jobName: string) {
    super(`Queue "${queueName}" has no job named "${jobName}"`);
    this.name = "UnknownJobNameError";
  }
}

/** A custom job id that BullMQ would reject or silently ignore. */
export class InvalidJobIdError extends Error {
  constructor(jobId: string, reason: string) {
    super(`Invalid job id "${jobId}": ${reason}`);
    this.name = "InvalidJobIdError";
  }
}

/**
 * What every Queue, Worker, QueueEvents and FlowProducer of a queue is opened with: a connection and the queue's
 * hash-tagged prefix (queue-prefix.ts). Opening one without the prefix would read and write other keys than the
 * shop's workers do.
 */
export function queueConnectionOptions(
  queue: string | Pick<QueueDefinition, "name">,
  connection: RedisConnection,
): { connection: RedisConnection; prefix: string } {
  return { connection, prefix: queuePrefix(typeof queue === "string" ? queue : queue.name) };
}

/** A Queue of the shop's (its prefix and all) on this connection; the caller closes it (the connection stays open). */
export function openQueueOn(queue: string | Pick<QueueDefinition, "name">, connection: RedisConnection): Queue {
  return new Queue(typeof queue === "string" ? queue : queue.name, queueConnectionOptions(queue, connection));
}

/** Defines a queue: its name, its jobs' payload schemas and default job options (merged over the base defaults). */
export function defineQueue<const Name extends string, const Jobs extends JobSchemas>(definition: {
  name: Name;
  jobs: Jobs;
  defaultJobOptions?: DefaultJobOptions;
}): QueueDefinition<Name, Jobs> {
  if (!/^[A-Za-z0-9_-]+$/.test(definition.name)) {
    throw new InvalidQueueDefinitionError(
      `Queue name "${definition.name}" must be letters, digits, '-' and '_' (BullMQ rejects ':' in queue names)`,
    );
  }
  if (Object.keys(definition.jobs).length === 0) {
    throw new InvalidQueueDefinitionError(`Queue "${definition.name}" must define at least one job`);
  }
  return Object.freeze({
    name: definition.name,
    jobs: definition.jobs,
    defaultJobOptions: { ...BASE_JOB_OPTIONS, ...definition.defaultJobOptions },
  });
}

type QueuesByName<Defs extends readonly QueueDefinition[]> = { readonly [D in Defs[number] as D["name"]]: D };

/** Builds a name → definition registry, refusing two queues with the same name. */
export function registerQueues<const Defs extends readonly QueueDefinition[]>(definitions: Defs): QueuesByName<Defs> {
  const byName: Record<string, QueueDefinition> = {};
  for (const definition of definitions) {
    if (Object.hasOwn(byName, definition.name)) {
      throw new InvalidQueueDefinitionError(`Two queues are named "${definition.name}"`);
    }
    byName[definition.name] = definition;
  }
  return Object.freeze(byName) as QueuesByName<Defs>;
}

/** Whether the queue defines a job of this name (job names read from Redis are plain strings). */
export function isJobName<D extends QueueDefinition>(definition: D, jobName: string): jobName is JobName<D> {
  return Object.hasOwn(definition.jobs, jobName);
}

/** Validates a payload against its job's schema; throws InvalidJobPayloadError naming each wrong field. */
export function parseJobPayload<D extends QueueDefinition, N extends JobName<D>>(
  definition: D,
  jobName: N,
  payload: unknown,
): JobPayload<D, N> {
  // hasOwn: a name such as "toString" must not find Object.prototype's function.
  const schema = Object.hasOwn(definition.jobs, jobName) ? definition.jobs[jobName] : undefined;
  if (!schema) throw new UnknownJobNameError(definition.name, jobName);
  const result = schema.safeParse(payload);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => `${issue.path.join(".") || "(payload)"}: ${issue.message}`);
    throw new InvalidJobPayloadError(definition.name, jobName, issues);
  }
  return result.data as JobPayload<D, N>;
}

/** Throws InvalidJobIdError for a custom job id that BullMQ would reject, or ignore without saying so. */
export function assertValidJobId(jobId: string): void {
  if (jobId === "") {
    throw new InvalidJobIdError(jobId, "must not be empty (BullMQ would assign its own id, so nothing is de-duplicated)");
  }
  if (jobId.includes(":")) {
    throw new InvalidJobIdError(jobId, "must not contain ':' (BullMQ uses ':' to separate the parts of its Redis keys)");
  }
  if (/^-?\d+$/.test(jobId)) {
    throw new InvalidJobIdError(jobId, "must not be an integer (BullMQ numbers its own jobs with integers)");
  }
}

/** Validates the payload (and job id), then adds the job on the shared producer connection (see producerCall). */
export async function enqueue<D extends QueueDefinition, N extends JobName<D>>(
  definition: D,
  jobName: N,
  payload: JobInput<D, N>,
  options: EnqueueOptions = {},
): Promise<{ jobId: string }> {
  const data = parseJobPayload(definition, jobName, payload);
  if (options.jobId !== undefined) assertValidJobId(options.jobId);
  const job = await producerCall(async () => (await getQueue(definition)).add(jobName, data, options));
  // BullMQ always assigns an id when it adds a job; the type just does not say so.
  return { jobId: job.id ?? "" };
}

/** Like `enqueue` for many jobs of one name, added in one round trip to Redis. */
export async function enqueueMany<D extends QueueDefinition, N extends JobName<D>>(
  definition: D,
  jobName: N,
  jobs: readonly { payload: JobInput<D, N>; options?: EnqueueOptions }[],
): Promise<void> {
  const bulk = jobs.map(({ payload, options = {} }) => {
    if (options.jobId !== undefined) assertValidJobId(options.jobId);
    return { name: jobName, data: parseJobPayload(definition, jobName, payload), opts: options };
  });
  if (bulk.length === 0) return;
  await producerCall(async () => (await getQueue(definition)).addBulk(bulk));
}

type ProducerQueue = Queue<unknown, unknown, string>;

/** One Queue per queue name and process; remembers the connection it was opened on. */
const openQueues = new Map<string, { connection: RedisConnection; queue: Promise<ProducerQueue> }>();

async function getQueue(definition: QueueDefinition): Promise<ProducerQueue> {
  const connection = await getReadyProducerConnection();
  const cached = openQueues.get(definition.name);
  if (cached && cached.connection === connection) return cached.queue;
  // A queue opened on a connection that has since been closed and replaced can never work again.
  if (cached) void closeQuietly(cached.queue);
  const entry = { connection, queue: openQueue(definition, connection) };
  openQueues.set(definition.name, entry);
  // BullMQ never retries a queue whose start failed: forget it, so that the next enqueue opens a fresh one.
  entry.queue.catch(() => {
    if (openQueues.get(definition.name) === entry) openQueues.delete(definition.name);
  });
  return entry.queue;
}

async function openQueue(definition: QueueDefinition, connection: RedisConnection): Promise<ProducerQueue> {
  const queue: ProducerQueue = new Queue(definition.name, {
    ...queueConnectionOptions(definition, connection),
    defaultJobOptions: definition.defaultJobOptions,
  });
  queue.on("error", (error) => logger.warn({ err: error, queue: definition.name }, "Queue error"));
  try {
    await queue.waitUntilReady();
    return queue;
  } catch (error) {
    await queue.close().catch(() => undefined);
    throw error;
  }
}

async function closeQuietly(queue: Promise<ProducerQueue>): Promise<void> {
  try {
    await (await queue).close();
  } catch (error) {
    logger.warn({ err: error }, "Queue did not close cleanly");
  }
}

/** Closes every queue this process opened for enqueuing (the producer connection itself stays open). */
export async function closeQueues(): Promise<void> {
  const entries = [...openQueues.values()];
  openQueues.clear();
  await Promise.all(entries.map(({ queue }) => closeQuietly(queue)));
}
