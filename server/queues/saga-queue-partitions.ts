import { Cluster } from "ioredis";
import { env } from "@/server/env";
import type { logger } from "@/server/logger";
import { getReadyProducerConnection, onRedisCluster } from "./connections";
import { QueueUnavailableError } from "./queue-unavailable";
import { sagaQueuePartitionCount, sagaStepQueuesFor, type SagaStepQueue } from "./saga-queue";

/**
 * How many partitions this process's saga step queue has, decided once per process (saga-queue.ts says why a shop
 * wants them). SAGA_QUEUE_PARTITIONS pins the count; unset, it is 1 on one Redis, and one per master on a Redis
 * Cluster, which only the cluster can say: the first call asks it (the producer connection's slot map, once ready),
 * and every later call gets that same answer for the life of the process. A failed ask is not remembered, so the next
 * call asks again (a web process started while the cluster was away comes right once it is back).
 *
 * The processes of a shop ask separately, so they agree only while the cluster keeps its masters: one started after
 * a master was added would spread the sagas over one more partition than the others, moving most sagas' jobs to
 * other queues. A shop whose cluster may grow while it runs pins SAGA_QUEUE_PARTITIONS (see the README).
 *
 * The web and worker processes call resolveSagaQueuePartitions as they start, to log the count (and a worker fails
 * to start without it); anything else that needs the queues awaits sagaStepQueues, which resolves it on first use.
 */

/** The count and where it came from, as the processes log it at start. */
export type SagaQueuePartitions = {
  partitions: number;
  source: "SAGA_QUEUE_PARTITIONS" | "one per Redis Cluster master" | "one Redis";
  /** The cluster's masters, when they were asked (the count is capped at MAX_SAGA_QUEUE_PARTITIONS). */
  clusterMasters?: number;
};

/** The Redis Cluster's masters could not be read, so the default partition count is not known. */
export class SagaQueuePartitionsUnknownError extends QueueUnavailableError {
  constructor(reason: string, options: { cause?: unknown } = {}) {
    super(
      `The saga step queue's partitions are one per Redis Cluster master (SAGA_QUEUE_PARTITIONS is unset), and the ` +
        `cluster's masters could not be read: ${reason}. Is the cluster at REDIS_CLUSTER_NODES up? Setting ` +
        `SAGA_QUEUE_PARTITIONS to its number of masters starts without asking.`,
      options,
    );
    this.name = "SagaQueuePartitionsUnknownError";
  }
}

let resolution: Promise<SagaQueuePartitions> | undefined;

/** This process's partition count: asked of the cluster on the first call only (see above); at most `timeoutMs`. */
export function resolveSagaQueuePartitions(options: { timeoutMs?: number } = {}): Promise<SagaQueuePartitions> {
  if (!resolution) {
    const attempt = decidePartitions(options.timeoutMs ?? env.REDIS_CONNECT_TIMEOUT_MS);
    resolution = attempt;
    attempt.catch(() => {
      if (resolution === attempt) resolution = undefined;
    });
  }
  return resolution;
}

/** This process's saga step queues, in order (index = partition), its count resolved on first use. */
export async function sagaStepQueues(): Promise<readonly SagaStepQueue[]> {
  return sagaStepQueuesFor((await resolveSagaQueuePartitions()).partitions);
}

/** Resolves the count and logs it, as a process starts: every process of a shop should show the same number. */
export async function logSagaQueuePartitions(log: typeof logger): Promise<SagaQueuePartitions> {
  const resolved = await resolveSagaQueuePartitions();
  log.info(
    { sagaQueuePartitions: resolved.partitions, source: resolved.source, clusterMasters: resolved.clusterMasters },
    "Saga step queue partitions resolved",
  );
  return resolved;
}

async function decidePartitions(timeoutMs: number): Promise<SagaQueuePartitions> {
  const pinned = env.SAGA_QUEUE_PARTITIONS;
  if (pinned !== undefined) return { partitions: pinned, source: "SAGA_QUEUE_PARTITIONS" };
  if (!onRedisCluster()) return { partitions: sagaQueuePartitionCount({ SAGA_QUEUE_PARTITIONS: undefined }), source: "one Redis" };
  const clusterMasters = await countClusterMasters(timeoutMs);
  return { partitions: sagaQueuePartitionCount({ SAGA_QUEUE_PARTITIONS: undefined, clusterMasters }), source: "one per Redis Cluster master", clusterMasters };
}

/**
 * The masters of the cluster, from the producer connection's slot map: ioredis reads CLUSTER SLOTS before it calls
 * the connection ready, and counts as a master each node that serves a slot range first (a master without slots holds
 * no queue, so it would not take a partition anyway).
 */
async function countClusterMasters(timeoutMs: number): Promise<number> {
  let connection;
  try {
    connection = await getReadyProducerConnection(timeoutMs);
  } catch (error) {
    throw new SagaQueuePartitionsUnknownError(`no connection within ${timeoutMs} ms`, { cause: error });
  }
  if (!(connection instanceof Cluster)) throw new SagaQueuePartitionsUnknownError("the producer connection is not a Redis Cluster client");
  const masters = connection.nodes("master").length;
  if (masters < 1) throw new SagaQueuePartitionsUnknownError("the cluster's slot map names no master");
  return masters;
}
