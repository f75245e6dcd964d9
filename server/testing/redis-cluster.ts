import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { Redis } from "ioredis";

/**
 * A local Redis Cluster for a test or a bench, started and stopped by the same scripts as `npm run cluster:up` /
 * `cluster:down` (scripts/cluster/), on ports of the caller's choosing. Also what a test needs to break it on
 * purpose: which master holds a key, and that master's pid to kill -9.
 */

const run = promisify(execFile);
const SCRIPTS = path.join(process.cwd(), "scripts/cluster");

export type ClusterNode = { id: string; port: number; role: "master" | "replica"; masterId: string | null; slots: [number, number][]; failed: boolean };

export type LocalRedisCluster = {
  /** `127.0.0.1:<port>,…`: the REDIS_CLUSTER_NODES of this cluster. */
  readonly nodes: string;
  readonly ports: readonly number[];
  /** CLUSTER NODES as seen from any live node. */
  topology(): Promise<ClusterNode[]>;
  /** The master that serves this key now (by its hash slot). */
  masterOf(key: string): Promise<ClusterNode>;
  /** The pid of the node on this port (from the pid file its redis-server wrote). */
  pidOf(port: number): number;
  /** Stops every node and removes their files (idempotent). */
  stop(): Promise<void>;
};

export type StartClusterOptions = { firstPort: number; nodeTimeoutMs?: number; masters?: number };

/** Starts a cluster (3 masters with a replica each, unless told otherwise) and waits until it is ok. */
export async function startLocalRedisCluster(options: StartClusterOptions): Promise<LocalRedisCluster> {
  const masters = options.masters ?? 3;
  const dir = path.join(os.tmpdir(), `unicorn-redis-cluster-${options.firstPort}`);
  const args = ["--first-port", String(options.firstPort), "--masters", String(masters), "--dir", dir];
  const ports = Array.from({ length: masters * 2 }, (_, index) => options.firstPort + index);
  const stop = async () => {
    await run("bash", [path.join(SCRIPTS, "down.sh"), ...args]);
  };
  try {
    await run("bash", [path.join(SCRIPTS, "up.sh"), ...args, "--node-timeout", String(options.nodeTimeoutMs ?? 2_000)], { timeout: 120_000 });
  } catch (error) {
    await stop().catch(() => undefined);
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    throw new Error(`Could not start a Redis Cluster on ports ${ports[0]}–${ports.at(-1)}:\n${stdout}${stderr}`, { cause: error });
  }

  async function topology(): Promise<ClusterNode[]> {
    for (const port of ports) {
      const redis = new Redis({ port, host: "127.0.0.1", lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
      // A refused connection also comes as an `error` event: without a listener ioredis prints it as unhandled.
      redis.on("error", () => undefined);
      try {
        await redis.connect();
        return parseClusterNodes(String(await redis.call("CLUSTER", "NODES")));
      } catch {
        // A node killed on purpose: ask the next one.
      } finally {
        redis.disconnect();
      }
    }
    throw new Error("No node of the cluster answers");
  }

  async function masterOf(key: string): Promise<ClusterNode> {
    const slot = clusterKeySlot(key);
    const master = (await topology()).find((node) => node.role === "master" && !node.failed && node.slots.some(([from, to]) => slot >= from && slot <= to));
    if (!master) throw new Error(`No live master serves slot ${slot} (key ${key})`);
    return master;
  }

  const pidOf = (port: number) => Number(fs.readFileSync(path.join(dir, String(port), "redis.pid"), "utf8").trim());

  return { nodes: ports.map((port) => `127.0.0.1:${port}`).join(","), ports, topology, masterOf, pidOf, stop };
}

/** CLUSTER NODES' lines: `<id> <ip:port@bus> <flags> <master> <ping> <pong> <epoch> <state> <slots…>`. */
function parseClusterNodes(text: string): ClusterNode[] {
  return text
    .trim()
    .split("\n")
    .map((line) => {
      const [id, address, flags, master, , , , , ...slots] = line.split(" ") as [string, string, string, string, ...string[]];
      const flagList = flags.split(",");
      return {
        id,
        port: Number(address.split("@")[0]!.split(":").at(-1)),
        role: flagList.includes("master") ? "master" : "replica",
        masterId: master === "-" ? null : master,
        failed: flagList.includes("fail") || flagList.includes("fail?"),
        slots: slots.filter((range) => !range.startsWith("[")).map((range) => {
          const [from, to = from] = range.split("-").map(Number) as [number, number?];
          return [from, to] as [number, number];
        }),
      };
    });
}

/** Redis Cluster's slot of a key: CRC16 (XMODEM) of its hash tag (or of the whole key) modulo 16384. */
export function clusterKeySlot(key: string): number {
  const open = key.indexOf("{");
  const close = open < 0 ? -1 : key.indexOf("}", open + 1);
  const hashed = Buffer.from(close > open + 1 ? key.slice(open + 1, close) : key);
  let crc = 0;
  for (const byte of hashed) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit += 1) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc % 16_384;
}
