import { Cluster, Redis } from "ioredis";

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

/**
 * Every node of the cluster (masters and replicas), as `127.0.0.1:<port>`, from CLUSTER NODES of the first one that
 * answers: the hosts need a relay for each, since the cluster's redirects and a promoted replica name them all.
 */
export async function everyClusterNode(nodes: readonly string[]): Promise<string[]> {
  for (const node of nodes) {
    const [host, port] = node.split(":");
    const redis = new Redis({ host, port: Number(port), lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await redis.connect();
      const text = (await redis.cluster("NODES")) as string;
      const found = text.split("\n").flatMap((line) => {
        const address = line.split(" ")[1]?.split("@")[0];
        return address ? [address] : [];
      });
      return [...new Set([...nodes, ...found])].sort();
    } catch {
      // Try the next node.
    } finally {
      redis.disconnect();
    }
  }
  throw new Error(`No Redis Cluster node answers CLUSTER NODES at ${nodes.join(", ")}: is the cluster up (npm run cluster:up)?`);
}
