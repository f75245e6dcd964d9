import os from "node:os";
import path from "node:path";
import { BENCH_DIST_DIR } from "../../bench/lib/app-mirror";
import { BenchConfigError, integerOption as int } from "../../bench/lib/bench-env";
import { parseBenchArgs } from "../../bench/lib/bench-main";
import type { HostsOptions } from "../hosts-shop";
import { MAX_HOSTS } from "../network";

export const DEFAULT_HOST_LOSS_DATABASE_URL = "postgresql://postgres:postgres@127.0.0.1:5432/unicorn_retail_bench_hosts";
export const DEFAULT_HOST_LOSS_REDIS_URL = "redis://127.0.0.1:6379/10";
// Not 3500: the chaos run's default port (npm test runs both, one after the other, but a person may run them side by side).
const DEFAULT_FRONT_PORT = 3540;
const DEFAULT_APP_DIR = path.join(os.tmpdir(), "unicorn-retail-hosts-app");

const HELP = `Usage: npm run chaos:host-loss -- [options]        (as root)

A flash sale through HAProxy against several shop hosts (each in its own network namespace: web server, checkout
worker, loyalty worker), one of which loses every process to kill -9 at once in the middle of the sale. Shoppers whose
request is cut ask again with the same idempotency key. Then: exactly the stock sold, every shopper answered with the
checkout they started, every saga finished within 60 s of the kill (by the surviving hosts' sweep), money conserved,
points awarded once per purchase, projections equal to a replay, and the chaos run's invariant checks. Exits non-zero
if one breaks.

  --hosts N               shop hosts, default 2 (2–${MAX_HOSTS})
  --shoppers N            distinct signed-in shoppers, each pressing "buy" once, default 1000
  --stock N               Classic Unicorns in stock at the start, default 50
  --arrive-over S         shoppers arrive evenly over this many seconds, default 12
  --kill-after-started N  kill host 1 once this many checkouts have started, default half the stock
  --saga-deadline S       every saga must be finished this long after the kill, default 60
  --no-build              reuse the last build in <app-dir>/${BENCH_DIST_DIR}
  --app-dir DIR           where the sources are copied and built, default ${DEFAULT_APP_DIR}
  --port N                HAProxy's front (the stats page is N+1, the relays N+10…), default ${DEFAULT_FRONT_PORT}
  --database-url URL      default ${DEFAULT_HOST_LOSS_DATABASE_URL}
  --redis-url URL         default ${DEFAULT_HOST_LOSS_REDIS_URL}
  --redis-cluster-nodes L 127.0.0.1:port,… of a Redis Cluster instead of --redis-url (default $REDIS_CLUSTER_NODES)
`;

export type HostLossOptions = HostsOptions & {
  shoppers: number;
  stock: number;
  arriveOverS: number;
  killAfterStarted: number;
  sagaDeadlineS: number;
  build: boolean;
};

export function parseHostLossOptions(): HostLossOptions {
  const values = parseBenchArgs(HELP, {
    hosts: { type: "string", default: "2" },
    shoppers: { type: "string", default: "1000" },
    stock: { type: "string", default: "50" },
    "arrive-over": { type: "string", default: "12" },
    "kill-after-started": { type: "string" },
    "saga-deadline": { type: "string", default: "60" },
    "no-build": { type: "boolean", default: false },
    "app-dir": { type: "string", default: DEFAULT_APP_DIR },
    port: { type: "string", default: String(DEFAULT_FRONT_PORT) },
    "database-url": { type: "string", default: DEFAULT_HOST_LOSS_DATABASE_URL },
    "redis-url": { type: "string", default: DEFAULT_HOST_LOSS_REDIS_URL },
    "redis-cluster-nodes": { type: "string", default: process.env.REDIS_CLUSTER_NODES ?? "" },
  });
  const stock = int("stock", values.stock, 1, 100_000);
  const shoppers = int("shoppers", values.shoppers, 1, 20_000);
  if (shoppers <= stock) throw new BenchConfigError("--shoppers must be more than --stock: the sale is meant to sell out");
  const frontPort = int("port", values.port, 1_024, 65_000);
  return {
    hosts: int("hosts", values.hosts, 2, MAX_HOSTS),
    shoppers,
    stock,
    arriveOverS: int("arrive-over", values["arrive-over"], 1, 600),
    killAfterStarted: int("kill-after-started", values["kill-after-started"] ?? String(Math.max(1, Math.floor(stock / 2))), 1, stock),
    sagaDeadlineS: int("saga-deadline", values["saga-deadline"], 5, 600),
    build: !values["no-build"],
    appDir: path.resolve(values["app-dir"]),
    frontPort,
    statsPort: frontPort + 1,
    firstRelayPort: frontPort + 10,
    databaseUrl: values["database-url"],
    redisUrl: values["redis-url"],
    redisClusterNodes: values["redis-cluster-nodes"].split(",").map((node) => node.trim()).filter(Boolean),
  };
}
