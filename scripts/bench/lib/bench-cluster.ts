import { Redis } from "ioredis";
import { redisCounters, type RedisCounters } from "./server-stats";

/**
 * A bench on a Redis Cluster (REDIS_CLUSTER_NODES): the masters' own connections, to empty them before and after a
 * run and to add up their counters (INFO covers one node; a cluster's work is spread over its masters).
 */

/** A plain connection to each master among these `host:port` nodes (replicas left out: they only copy the work). */
export async function clusterMasters(nodes: string): Promise<Redis[]> {
  const connections = nodes.split(",").map((node) => {
    const [host, port] = node.split(":") as [string, string];
    return new Redis({ host, port: Number(port), maxRetriesPerRequest: 1 });
  });
  const roles = await Promise.all(connections.map(async (redis) => ((await redis.call("ROLE")) as [string])[0]));
  for (const [index, redis] of connections.entries()) if (roles[index] !== "master") redis.disconnect();
  return connections.filter((_, index) => roles[index] === "master");
}

/** Empties every master of the cluster (its replicas follow). */
export async function flushClusterMasters(nodes: string): Promise<void> {
  const masters = await clusterMasters(nodes);
  try {
    await Promise.all(masters.map((master) => master.flushdb()));
  } finally {
    for (const master of masters) master.disconnect();
  }
}

/** INFO's counters summed over these connections (one Redis, or a cluster's masters). */
export async function summedRedisCounters(connections: readonly Redis[]): Promise<RedisCounters> {
  const each = await Promise.all(connections.map(redisCounters));
  const sum = (records: Record<string, number>[]) => {
    const total: Record<string, number> = {};
    for (const record of records) for (const [key, value] of Object.entries(record)) total[key] = (total[key] ?? 0) + value;
    return total;
  };
  return {
    totalCommands: each.reduce((total, counters) => total + counters.totalCommands, 0),
    calls: sum(each.map((counters) => counters.calls)),
    usec: sum(each.map((counters) => counters.usec)),
  };
}
