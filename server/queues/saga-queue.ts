import { z } from "zod";
import type { Env } from "@/server/env";
import { defineQueue, type QueueDefinition } from "./define-queue";

/**
 * The saga step queue, partitioned: N queues, `saga-steps` (partition 0, today's name, so N = 1 is exactly the one
 * queue there always was), `saga-steps-1`, … `saga-steps-<N-1>`. On a Redis Cluster each queue's keys share one hash
 * tag, so one queue lives on one shard: partitions are what spread the steps over the shards. A saga's jobs ALWAYS go to
 * the partition of its id (sagaPartitionOf), so its deterministic job ids keep de-duplicating on one queue; every
 * checkout worker consumes every partition (workers/checkout.ts).
 *
 * This module is pure: how many partitions a process uses is decided once, at boot, by resolveSagaQueuePartitions
 * (saga-queue-partitions.ts), because on a Redis Cluster the default depends on the cluster's masters, which only a
 * connection can tell.
 */

const SAGA_STEP_QUEUE_BASE = "saga-steps";
/** More partitions than this buys nothing (a Worker, two Redis connections per checkout process each). */
export const MAX_SAGA_QUEUE_PARTITIONS = 32;

const SAGA_STEP_JOBS = {
  "run-step": z.object({
    // Lower case, as PostgreSQL writes uuids: the engine matches a batch's jobs to its sagas' rows by id.
    sagaId: z.uuid().toLowerCase(),
    sagaType: z.string().min(1),
    step: z.string().min(1),
    phase: z.enum(["action", "compensation"]),
  }),
} as const;

export type SagaStepQueueName = typeof SAGA_STEP_QUEUE_BASE | `${typeof SAGA_STEP_QUEUE_BASE}-${number}`;
export type SagaStepQueue = QueueDefinition<SagaStepQueueName, typeof SAGA_STEP_JOBS>;

/** What the partition count is chosen from: the setting, and the masters of the Redis Cluster (none on one Redis). */
export type SagaQueuePartitionInputs = Pick<Env, "SAGA_QUEUE_PARTITIONS"> & {
  /** How many masters the Redis Cluster has (CLUSTER SLOTS, once connected); undefined on one Redis. */
  clusterMasters?: number;
};

/**
 * How many partitions a process uses: SAGA_QUEUE_PARTITIONS when set, else the topology's default — 1 on one Redis
 * (one shard: more queues only add Workers), one per master on a Redis Cluster (each partition's hash tag is one slot,
 * so a master each is what spreads the steps; at most MAX_SAGA_QUEUE_PARTITIONS). That is the count only: which
 * master a partition lands on follows its name's hash slot, one each on 3 masters with the slots split evenly (as
 * `redis-cli --cluster create` does), but two may share a master on 4 or more. Every process of a shop (web,
 * workers) must use the same number: a default that follows the masters changes when masters are added, and processes
 * started after that would send sagas where the older ones do not look, so a shop that may grow its cluster while
 * it runs pins SAGA_QUEUE_PARTITIONS. Pure.
 */
export function sagaQueuePartitionCount(inputs: SagaQueuePartitionInputs): number {
  if (inputs.SAGA_QUEUE_PARTITIONS !== undefined) return inputs.SAGA_QUEUE_PARTITIONS;
  const masters = inputs.clusterMasters;
  if (masters === undefined) return 1;
  if (!Number.isInteger(masters) || masters < 1) throw new RangeError(`a Redis Cluster has a whole number ≥ 1 of masters, not ${masters}`);
  return Math.min(masters, MAX_SAGA_QUEUE_PARTITIONS);
}

/** The queue name of a partition: `saga-steps` for 0, `saga-steps-<n>` after. Pure. */
export function sagaStepQueueName(partition: number): SagaStepQueueName {
  return partition === 0 ? SAGA_STEP_QUEUE_BASE : `${SAGA_STEP_QUEUE_BASE}-${partition}`;
}

/**
 * The partition of a saga among `partitions`: FNV-1a (32 bit) of its lower-case id, modulo the count. Stable across
 * processes, machines and Node versions (no Math.random, no process-seeded hash), and even over ids of any uuid version
 * (every character counts, not only the leading ones, which a time-ordered uuid shares with its neighbours). Pure.
 */
export function sagaPartitionOf(sagaId: string, partitions: number): number {
  if (!Number.isInteger(partitions) || partitions < 1) throw new RangeError(`partitions must be a whole number ≥ 1, not ${partitions}`);
  if (partitions === 1) return 0;
  const text = sagaId.toLowerCase();
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % partitions;
}

/**
 * One partition's queue definition. PostgreSQL keeps the history, so Redis keeps no finished jobs: a job id
 * de-duplicates only while the job exists, and removing finished jobs lets the recovery sweep schedule a step again
 * under the same id (the engine's row lock makes a repeated delivery harmless).
 */
function defineSagaStepQueue(partition: number): SagaStepQueue {
  return defineQueue({
    name: sagaStepQueueName(partition),
    jobs: SAGA_STEP_JOBS,
    defaultJobOptions: { removeOnComplete: true, removeOnFail: true },
  });
}

/** Partition 0, `saga-steps`: the whole queue when there is one partition, and there in every count. */
export const sagaStepQueue: SagaStepQueue = defineSagaStepQueue(0);

const definedPartitions: SagaStepQueue[] = [sagaStepQueue];
const queuesByCount = new Map<number, readonly SagaStepQueue[]>();

/**
 * The queues of `partitions` partitions, in order (index = partition): the same definitions for the same partition
 * whatever the count, and the same list for the same count, so queues and lists can be compared by identity. Pure but
 * for that cache.
 */
export function sagaStepQueuesFor(partitions: number): readonly SagaStepQueue[] {
  if (!Number.isInteger(partitions) || partitions < 1 || partitions > MAX_SAGA_QUEUE_PARTITIONS) {
    throw new RangeError(`partitions must be a whole number from 1 to ${MAX_SAGA_QUEUE_PARTITIONS}, not ${partitions}`);
  }
  while (definedPartitions.length < partitions) definedPartitions.push(defineSagaStepQueue(definedPartitions.length));
  let queues = queuesByCount.get(partitions);
  if (!queues) queuesByCount.set(partitions, (queues = Object.freeze(definedPartitions.slice(0, partitions))));
  return queues;
}

/** The queue a saga's jobs go to, among a process's partitions (sagaStepQueues in saga-queue-partitions.ts). Pure. */
export function sagaStepQueueOf(sagaId: string, queues: readonly SagaStepQueue[]): SagaStepQueue {
  return queues[sagaPartitionOf(sagaId, queues.length)]!;
}

/**
 * A checkout worker's job concurrency per partition: the process's total (CHECKOUT_WORKER_CONCURRENCY) shared out, so
 * that N partitions take about as many jobs at once as one queue did (they all feed the same batches). Pure.
 */
export function concurrencyPerPartition(total: number, partitions: number): number {
  return Math.max(1, Math.ceil(total / partitions));
}

/** The deterministic job id of a saga step, `<sagaId>_<step>_<phase>`: a step scheduled twice is one job. */
export function sagaStepJobId(job: { sagaId: string; step: string; phase: string }): string {
  return `${job.sagaId}_${job.step}_${job.phase}`;
}
