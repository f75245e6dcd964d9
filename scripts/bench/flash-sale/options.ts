import path from "node:path";
import { BENCH_DIST_DIR, DEFAULT_APP_DIR } from "../lib/app-mirror";
import {
  BenchConfigError,
  DEFAULT_BENCH_DATABASE_URL,
  DEFAULT_BENCH_PORT,
  DEFAULT_BENCH_REDIS_URL,
  integerOption as int,
  parseKeyValues,
  type AppEnv,
} from "../lib/bench-env";
import { parseBenchArgs } from "../lib/bench-main";

const HELP = `Usage: npm run bench:flash-sale -- [options]

  --shoppers N          shoppers, each pressing "buy" once, default 2000
  --arrive-over S       shoppers arrive evenly over this many seconds, default 10
  --burst               all shoppers press "buy" at the same moment (instead of --arrive-over)
  --no-build            reuse the last build in <app-dir>/${BENCH_DIST_DIR} instead of building
  --app-dir DIR         where the sources are copied and built, default ${DEFAULT_APP_DIR}
  --workers N           checkout worker processes, default 1
  --concurrency N       CHECKOUT_WORKER_CONCURRENCY of each worker, default 32 (the app's default)
  --worker-pool N       DATABASE_POOL_SIZE of each worker, default 5 (the app's default)
  --web-pool N          DATABASE_POOL_SIZE of each web server, default 5 (the app's default)
  --web-processes N     web servers (start:web) on consecutive ports; shoppers are spread over them as a load
                        balancer would, default 1
  --connections N       keep-alive connections the shoppers' "buy" requests share (the rest queue client-side), default 256
  --poll-connections N  keep-alive connections for checkout.status polls (so that a shopper's poll does not queue behind
                        other shoppers' "buy" requests on the client side, as in separate browsers), default 64
  --poll-ms N           how long a shopper waits between two checkout.status polls, default 250
  --timeout S           give up on shoppers without a final status after this long, default 120
  --port N              default ${DEFAULT_BENCH_PORT}
  --web-env K=V         extra environment for the web server (repeatable)
  --worker-env K=V      extra environment for the workers (repeatable)
  --label TEXT          a note stored with the results
  --database-url URL    default ${DEFAULT_BENCH_DATABASE_URL}
  --redis-url URL       default ${DEFAULT_BENCH_REDIS_URL}
  --max-connections N   refuse pools adding up to more than this, default 30
`;

export type FlashSaleOptions = {
  shoppers: number;
  /** Seconds over which the shoppers arrive evenly; 0 for a burst, all at once. */
  arriveOverS: number;
  build: boolean;
  appDir: string;
  workers: number;
  concurrency: number;
  workerPool: number;
  webPool: number;
  webProcesses: number;
  connections: number;
  pollConnections: number;
  pollMs: number;
  timeoutS: number;
  port: number;
  webEnv: AppEnv;
  workerEnv: AppEnv;
  label: string | null;
  databaseUrl: string;
  redisUrl: string;
  maxConnections: number;
};

/** The flash-sale bench's command line, checked (bounds, and the PostgreSQL connections it would take in all). */
export function parseFlashSaleOptions(): FlashSaleOptions {
  const values = parseBenchArgs(HELP, {
    shoppers: { type: "string", default: "2000" },
    "arrive-over": { type: "string", default: "10" },
    burst: { type: "boolean", default: false },
    "no-build": { type: "boolean", default: false },
    "app-dir": { type: "string", default: DEFAULT_APP_DIR },
    workers: { type: "string", default: "1" },
    concurrency: { type: "string", default: "32" },
    "worker-pool": { type: "string", default: "5" },
    "web-pool": { type: "string", default: "5" },
    "web-processes": { type: "string", default: "1" },
    connections: { type: "string", default: "256" },
    "poll-connections": { type: "string", default: "64" },
    "poll-ms": { type: "string", default: "250" },
    timeout: { type: "string", default: "120" },
    port: { type: "string", default: String(DEFAULT_BENCH_PORT) },
    "web-env": { type: "string", multiple: true, default: [] },
    "worker-env": { type: "string", multiple: true, default: [] },
    label: { type: "string" },
    "database-url": { type: "string", default: DEFAULT_BENCH_DATABASE_URL },
    "redis-url": { type: "string", default: DEFAULT_BENCH_REDIS_URL },
    "max-connections": { type: "string", default: "30" },
  });
  const options: FlashSaleOptions = {
    shoppers: int("shoppers", values.shoppers, 1, 100_000),
    arriveOverS: values.burst ? 0 : int("arrive-over", values["arrive-over"], 0, 600),
    build: !values["no-build"],
    appDir: path.resolve(values["app-dir"]),
    workers: int("workers", values.workers, 1, 16),
    concurrency: int("concurrency", values.concurrency, 1, 500),
    workerPool: int("worker-pool", values["worker-pool"], 1, 40),
    webPool: int("web-pool", values["web-pool"], 1, 40),
    webProcesses: int("web-processes", values["web-processes"], 1, 8),
    connections: int("connections", values.connections, 1, 10_000),
    pollConnections: int("poll-connections", values["poll-connections"], 1, 10_000),
    pollMs: int("poll-ms", values["poll-ms"], 10, 10_000),
    timeoutS: int("timeout", values.timeout, 5, 3_600),
    port: int("port", values.port, 1_024, 65_535),
    webEnv: parseKeyValues(values["web-env"]),
    workerEnv: parseKeyValues(values["worker-env"]),
    label: values.label ?? null,
    databaseUrl: values["database-url"],
    redisUrl: values["redis-url"],
    maxConnections: int("max-connections", values["max-connections"], 1, 90),
  };
  const connections = options.workers * options.workerPool + options.webProcesses * options.webPool + 2;
  if (connections > options.maxConnections) {
    throw new BenchConfigError(
      `${options.workers} worker(s) × ${options.workerPool} + ${options.webProcesses} web × ${options.webPool} + 2 = ${connections} PostgreSQL connections, ` +
        `more than --max-connections ${options.maxConnections} (max_connections is 100 for everyone on this machine)`,
    );
  }
  return options;
}
