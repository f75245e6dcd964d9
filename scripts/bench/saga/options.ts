import {
  BenchConfigError,
  DEFAULT_BENCH_DATABASE_URL,
  DEFAULT_BENCH_REDIS_URL,
  integerOption as int,
  parseKeyValues,
  type AppEnv,
} from "../lib/bench-env";
import { parseBenchArgs } from "../lib/bench-main";

const HELP = `Usage: npm run bench:saga -- [options]

  --levels LIST         concurrency levels (virtual clients), default 8,32,64,128
  --duration S          measured seconds per level, default 15
  --warmup S            unmeasured seconds before each level, default 3
  --prime S             unmeasured seconds at the first level before anything is measured, default 3
  --workers N           checkout worker processes, default 1
  --concurrency N       CHECKOUT_WORKER_CONCURRENCY of each worker, default 48 (the app's default)
  --worker-pool N       DATABASE_POOL_SIZE of each worker, default 5 (the app's default)
  --bench-pool N        DATABASE_POOL_SIZE of this process (it starts the sagas, as the web would), default 10
  --products N          products to spread the checkouts over, default 50
  --stock N             units of each product, default 1000000
  --poll-ms N           how often the one terminal-state poller looks, default 10
  --points-share S      the share of checkouts that pay part with points (0 to 1, e.g. 0.5), default 0; above 0 a
                        loyalty worker process runs too, and every customer starts with points
  --points N            points each of those checkouts asks to use, default 100 (worth $5.00 of a $10.00 unicorn under
                        the seeded rule, its 50% cap)
  --no-vacuum           do not VACUUM ANALYZE the bench tables between levels (this cluster runs with autovacuum off)
  --vacuum-every S      also VACUUM the saga tables every S seconds during a level (emulates an eager autovacuum), default off
  --worker-env K=V      extra environment for the workers (repeatable), e.g. --worker-env QUEUE_LOCK_DURATION_MS=60000
  --partitions LIST     SAGA_QUEUE_PARTITIONS of the workers and of this process (1 to 32), default the app's (1 on one
                        Redis, one per master on a Redis Cluster); a list, e.g. 1,2,3, runs the whole bench once
                        per count, one after the other, and compares them
  --label TEXT          a note stored with the results (e.g. the experiment's name)
  --no-count-statements do not preload the statement counter into the workers
  --database-url URL    default ${DEFAULT_BENCH_DATABASE_URL}
  --redis-url URL       default ${DEFAULT_BENCH_REDIS_URL}
  --redis-cluster       two passes in one run, the same levels each: one Redis (--redis-url), then a Redis Cluster of
                        3 masters with a replica each that the bench starts on 127.0.0.1:7021–7026 and stops after
                        (or the cluster REDIS_CLUSTER_NODES names: the bench empties its masters); a table compares them
  --cluster-nodes LIST  one pass on this Redis Cluster (host:port,…) instead of --redis-url; the bench empties its masters
  --max-connections N   refuse pools adding up to more than this, default 30
`;

export type SagaOptions = {
  levels: number[];
  durationS: number;
  warmupS: number;
  primeS: number;
  workers: number;
  concurrency: number;
  workerPool: number;
  benchPool: number;
  products: number;
  stock: number;
  pollMs: number;
  pointsShare: number;
  points: number;
  vacuumBetweenLevels: boolean;
  vacuumEveryS: number;
  workerEnv: AppEnv;
  /** SAGA_QUEUE_PARTITIONS for every process of the run (null: the app's default); more than one: a comparison. */
  partitions: number[] | null;
  label: string | null;
  countStatements: boolean;
  databaseUrl: string;
  redisUrl: string;
  /** Both topologies, one after the other (see topologies.ts). */
  redisCluster: boolean;
  /** This pass runs on the Redis Cluster at these nodes (REDIS_CLUSTER_NODES), not on --redis-url. */
  clusterNodes: string | null;
  maxConnections: number;
};

/** DATABASE_POOL_SIZE of the loyalty worker that answers the points commands (with --points-share). */
export const LOYALTY_WORKER_POOL = 5;

/** A share between 0 and 1, e.g. 0.5. */
function share(name: string, raw: string): number {
  const value = Number(raw);
  if (!/^\d*\.?\d+$/.test(raw) || value < 0 || value > 1) throw new BenchConfigError(`--${name} must be a number from 0 to 1, not "${raw}"`);
  return value;
}

/** `127.0.0.1:7021,…`: local nodes only, as for every Redis a bench empties. */
function clusterNodesOption(raw: string | undefined): string | null {
  if (raw === undefined) return null;
  const nodes = raw.split(",").map((node) => node.trim());
  if (!nodes.every((node) => /^127\.0\.0\.1:\d{1,5}$/.test(node))) {
    throw new BenchConfigError(`--cluster-nodes must be 127.0.0.1:<port>,… (the bench empties the cluster's masters), not "${raw}"`);
  }
  return nodes.join(",");
}

/** The saga bench's command line, checked (bounds, and the PostgreSQL connections it would take in all). */
export function parseSagaOptions(): SagaOptions {
  const values = parseBenchArgs(HELP, {
    levels: { type: "string", default: "8,32,64,128" },
    duration: { type: "string", default: "15" },
    warmup: { type: "string", default: "3" },
    prime: { type: "string", default: "3" },
    workers: { type: "string", default: "1" },
    concurrency: { type: "string", default: "48" },
    "worker-pool": { type: "string", default: "5" },
    "bench-pool": { type: "string", default: "10" },
    products: { type: "string", default: "50" },
    stock: { type: "string", default: "1000000" },
    "poll-ms": { type: "string", default: "10" },
    "points-share": { type: "string", default: "0" },
    points: { type: "string", default: "100" },
    "no-vacuum": { type: "boolean", default: false },
    "vacuum-every": { type: "string", default: "0" },
    "worker-env": { type: "string", multiple: true, default: [] },
    partitions: { type: "string" },
    label: { type: "string" },
    "no-count-statements": { type: "boolean", default: false },
    "database-url": { type: "string", default: DEFAULT_BENCH_DATABASE_URL },
    "redis-url": { type: "string", default: DEFAULT_BENCH_REDIS_URL },
    "redis-cluster": { type: "boolean", default: false },
    "cluster-nodes": { type: "string" },
    "max-connections": { type: "string", default: "30" },
  });
  const options: SagaOptions = {
    levels: values.levels.split(",").map((level) => int("levels", level.trim(), 1, 2_000)),
    durationS: int("duration", values.duration, 1, 3_600),
    warmupS: int("warmup", values.warmup, 0, 600),
    primeS: int("prime", values.prime, 0, 600),
    workers: int("workers", values.workers, 1, 16),
    concurrency: int("concurrency", values.concurrency, 1, 500),
    workerPool: int("worker-pool", values["worker-pool"], 1, 40),
    benchPool: int("bench-pool", values["bench-pool"], 1, 40),
    products: int("products", values.products, 1, 10_000),
    stock: int("stock", values.stock, 1, 1_000_000_000),
    pollMs: int("poll-ms", values["poll-ms"], 1, 1_000),
    pointsShare: share("points-share", values["points-share"]),
    points: int("points", values.points, 1, 1_000_000),
    vacuumBetweenLevels: !values["no-vacuum"],
    vacuumEveryS: int("vacuum-every", values["vacuum-every"], 0, 3_600),
    workerEnv: parseKeyValues(values["worker-env"]),
    partitions: values.partitions === undefined ? null : values.partitions.split(",").map((count) => int("partitions", count.trim(), 1, 32)),
    label: values.label ?? null,
    countStatements: !values["no-count-statements"],
    databaseUrl: values["database-url"],
    redisUrl: values["redis-url"],
    redisCluster: values["redis-cluster"],
    clusterNodes: clusterNodesOption(values["cluster-nodes"]),
    maxConnections: int("max-connections", values["max-connections"], 1, 90),
  };
  // The poller, the counters' client and the vacuum client: 3 connections of the bench's own; with points, the
  // loyalty worker's pool too.
  const loyaltyPool = options.pointsShare > 0 ? LOYALTY_WORKER_POOL : 0;
  const connections = options.workers * options.workerPool + loyaltyPool + options.benchPool + 3;
  if (connections > options.maxConnections) {
    throw new BenchConfigError(
      `${options.workers} worker(s) × ${options.workerPool} + ${loyaltyPool} + ${options.benchPool} + 3 = ${connections} PostgreSQL connections, ` +
        `more than --max-connections ${options.maxConnections} (max_connections is 100 for everyone on this machine)`,
    );
  }
  return options;
}
