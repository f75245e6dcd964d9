import { Cluster } from "ioredis";

/**
 * Empties a Redis Cluster given to the host-loss check (every master's keys; the replicas follow): the check owns the
 * cluster it is given, as it owns its Redis database on one Redis.
 */
export async function flushClusterMasters(nodes: readonly string[]): Promise<void> {
  const cluster = new Cluster(
    nodes.map((node) => {
      const [host, port] = node.split(":");
      return { host: host ?? "127.0.0.1", port: Number(port) };
    }),
    { lazyConnect: true },
  );
  try {
    await cluster.connect();
    await Promise.all(cluster.nodes("master").map((node) => node.flushdb()));
  } finally {
    cluster.disconnect();
  }
}
