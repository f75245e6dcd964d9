import { Cluster, Redis, type RedisOptions } from "ioredis";
import { env } from "@/server/env";
import { logger } from "@/server/logger";
import { asQueueUnavailable, QueueUnavailableError } from "./queue-unavailable";

/**
 * Redis connections for BullMQ. Producers (web requests, saga steps that enqueue the next step) and workers want
 * opposite things from a connection, so they get different ones:
 * - a producer must FAIL FAST: a web request should answer "try again" rather than hang while Redis is down or stops
 *   answering, so every producer call is bounded (REDIS_CONNECT_TIMEOUT_MS to be connected, REDIS_COMMAND_TIMEOUT_MS
 *   for the reply) and fails with QueueUnavailableError;
 * - a worker must WAIT: its blocking fetch sits on the connection for seconds, and it should ride out a Redis restart
 *   instead of crashing. It gets the connect timeout only (see createWorkerConnection).
 *
 * Two topologies, one code path: with REDIS_CLUSTER_NODES set every connection made here is an ioredis Cluster (it
 * finds each key's master by its hash slot and follows a failover), else one Redis at REDIS_URL. Callers never ask
 * which: a Cluster answers the same commands, and every queue's keys share one hash tag (queuePrefix in
 * define-queue.ts), so BullMQ's scripts never span two slots.
 */

/** A connection to the shop's Redis: one Redis, or a Redis Cluster through ioredis' Cluster client. */
export type RedisConnection = Redis | Cluster;

/** Whether this process runs on a Redis Cluster (REDIS_CLUSTER_NODES) rather than one Redis. */
export function onRedisCluster(): boolean {
  return env.REDIS_CLUSTER_NODES !== undefined;
}

/**
 * A new connection with these options, to one Redis or to the cluster. On a cluster the options apply to each node's
 * connection, except the offline queue, which is the Cluster's own (ioredis takes it at the top level).
 */
function connect(options: RedisOptions): RedisConnection {
  const nodes = env.REDIS_CLUSTER_NODES;
  if (!nodes) return new Redis(env.REDIS_URL, options);
  const { enableOfflineQueue, ...nodeOptions } = options;
  return new Cluster(nodes, {
    enableOfflineQueue,
    redisOptions: nodeOptions,
    // Refreshing the slot map after a failover must not wait ioredis' default 1 s per node that does not answer.
    slotsRefreshTimeout: Math.min(env.REDIS_CONNECT_TIMEOUT_MS, 1_000),
  });
}

/**
 * Where a connection of its own (the live-changes subscriber) should go: REDIS_URL, or the cluster's nodes in turn,
 * starting at a random one so that the processes spread. Any node will do for pub/sub: a cluster passes every PUBLISH
 * on to every node.
 */
export function subscriberRedisUrls(): () => string {
  const nodes = env.REDIS_CLUSTER_NODES;
  if (!nodes) return () => env.REDIS_URL;
  let next = Math.floor(Math.random() * nodes.length);
  return () => {
    const node = nodes[next++ % nodes.length]!;
    return `redis://${node.host.includes(":") ? `[${node.host}]` : node.host}:${node.port}`;
  };
}

/** A new connection for one BullMQ Worker; the worker's owner closes it after the worker. */
export function createWorkerConnection(): RedisConnection {
  return connect({
    // BullMQ requires null: its blocking fetch (BZPOPMIN) must never be cut short by ioredis' per-command retry limit,
    // and BullMQ refuses to duplicate a connection for that fetch unless this is null. Commands then wait through a
    // Redis restart instead of failing the worker. Connection errors reach the Worker's `error` listener.
    maxRetriesPerRequest: null,
    // A connection attempt that hangs is dropped and tried again (ioredis' retryStrategy) instead of waiting ioredis'
    // default 10 s.
    connectTimeout: env.REDIS_CONNECT_TIMEOUT_MS,
    // Deliberately NO commandTimeout: BullMQ duplicates this connection, options and all, for the worker's blocking
    // fetch (BZPOPMIN for up to drainDelay, 5 s, or up to 10 s before a delayed job is due), and ioredis applies commandTimeout
    // to blocking commands too, so the fetch would fail with "Command timed out" whenever the queue is idle. BullMQ
    // bounds that fetch itself: a watchdog gives up a BZPOPMIN still unanswered a second after its own timeout and
    // reconnects (RedisQueueBackend.waitForJob). BullMQ's production guide: workers wait, producers fail fast.
  });
}

let producer: RedisConnection | undefined;

/** The process's one shared producer connection, created on first use. */
export function getProducerConnection(): RedisConnection {
  if (!producer || producer.status === "end") {
    producer = connect({
      // Without an offline queue, a command issued while Redis is unreachable fails at once instead of being held
      // until Redis comes back: a web request must never hang on a dead Redis.
      enableOfflineQueue: false,
      // A command already sent when the connection drops is retried on one reconnect, then fails.
      maxRetriesPerRequest: 1,
      connectTimeout: env.REDIS_CONNECT_TIMEOUT_MS,
      // Producers only run short commands (adding a job is one Lua script), so a reply slower than this means trouble:
      // the command fails ("Command timed out", turned into QueueUnavailableError by its caller).
      commandTimeout: env.REDIS_COMMAND_TIMEOUT_MS,
    });
    // ioredis reconnects by itself; without a listener every failed attempt would print an "Unhandled error event".
    producer.on("error", (error: unknown) => logger.warn({ err: error }, "Redis producer connection error"));
  }
  return producer;
}

/**
 * The producer connection once it is ready, waiting briefly for it to (re)connect. BullMQ itself would wait forever
 * for a connection that is not ready, which is exactly the hang the producer connection exists to avoid.
 */
export async function getReadyProducerConnection(timeoutMs = env.REDIS_CONNECT_TIMEOUT_MS): Promise<RedisConnection> {
  const connection = getProducerConnection();
  if (connection.status === "ready") return connection;
  await new Promise<void>((resolve, reject) => {
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      connection.off("ready", onReady);
      reject(new QueueUnavailableError(`Redis is not reachable (connection ${connection.status} after ${timeoutMs} ms)`));
    }, timeoutMs);
    connection.once("ready", onReady);
  });
  return connection;
}

/**
 * Runs one producer call (on the connection from getReadyProducerConnection): a Redis that is away or does not answer
 * in time fails it with QueueUnavailableError, the shop's one word for "the queue is down, try again", whatever
 * ioredis or BullMQ called it.
 */
export async function producerCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw asQueueUnavailable(error);
  }
}

/** Closes the producer connection (close the queues that use it first: see closeQueues). */
export async function closeProducerConnection(): Promise<void> {
  const connection = producer;
  producer = undefined;
  if (!connection || connection.status === "end") return;
  if (connection.status === "ready") {
    try {
      // QUIT lets Redis answer the commands already sent before the connection closes.
      await connection.quit();
      return;
    } catch (error) {
      logger.warn({ err: error }, "Redis producer connection did not quit cleanly");
    }
  }
  connection.disconnect();
}
