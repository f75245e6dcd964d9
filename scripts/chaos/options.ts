import os from "node:os";
import path from "node:path";
import { BENCH_DIST_DIR } from "../bench/lib/app-mirror";
import { integerOption as int } from "../bench/lib/bench-env";
import { parseBenchArgs } from "../bench/lib/bench-main";

export const DEFAULT_CHAOS_DATABASE_URL = "postgresql://postgres:postgres@127.0.0.1:5432/unicorn_retail_bench_chaos";
export const DEFAULT_CHAOS_REDIS_URL = "redis://127.0.0.1:6379/8";
const DEFAULT_CHAOS_PORT = 3500;
const DEFAULT_CHAOS_APP_DIR = path.join(os.tmpdir(), "unicorn-retail-chaos-app");

const HELP = `Usage: npm run chaos -- [options]

Serves the production shop (one web server; two checkout and two loyalty workers under workers/supervise.ts) on
its own database and Redis database, drives steady load over HTTP (sign-ups, top-ups, checkouts of products with
ample stock, points redeemed) and meanwhile breaks things on a schedule it prints: kill -9 of a random worker, a
PostgreSQL restart, a wipe of the shop's Redis data, a Redis restart, duplicated job deliveries. Then it waits for
the shop to settle and checks every invariant. Exits non-zero if one breaks.

As root, PostgreSQL and Redis are really restarted (pg_ctlcluster; redis SHUTDOWN then scripts/ensure-services.sh),
which every other user of those servers notices. Not as root, a "restart" terminates every backend of the chaos
database, and cuts every client connection of Redis and wipes the shop's Redis database.

  --duration S          seconds of load and faults, default 60
  --shoppers N          shoppers shopping at once (each signs up, tops up, then buys again and again), default 12
  --kill-every S        kill -9 one random worker this often, default 5
  --no-restarts         never restart PostgreSQL or Redis, even as root (cut their connections instead): for a
                        machine whose servers others are using right now
  --flushall            wipe the whole Redis server (FLUSHALL) instead of the shop's database (FLUSHDB)
  --settle S            after the load, how long the shop may take to finish every checkout and award every
                        purchase's points, default 120
  --no-build            reuse the last build in <app-dir>/${BENCH_DIST_DIR} instead of building
  --app-dir DIR         where the sources are copied and built, default ${DEFAULT_CHAOS_APP_DIR}
  --port N              default ${DEFAULT_CHAOS_PORT}
  --database-url URL    default ${DEFAULT_CHAOS_DATABASE_URL}
  --redis-url URL       default ${DEFAULT_CHAOS_REDIS_URL}
`;

export type ChaosOptions = {
  durationS: number;
  shoppers: number;
  killEveryS: number;
  restartServers: boolean;
  flushAll: boolean;
  settleS: number;
  build: boolean;
  appDir: string;
  port: number;
  databaseUrl: string;
  redisUrl: string;
};

export function parseChaosOptions(): ChaosOptions {
  const values = parseBenchArgs(HELP, {
    duration: { type: "string", default: "60" },
    shoppers: { type: "string", default: "12" },
    "kill-every": { type: "string", default: "5" },
    "no-restarts": { type: "boolean", default: false },
    flushall: { type: "boolean", default: false },
    settle: { type: "string", default: "120" },
    "no-build": { type: "boolean", default: false },
    "app-dir": { type: "string", default: DEFAULT_CHAOS_APP_DIR },
    port: { type: "string", default: String(DEFAULT_CHAOS_PORT) },
    "database-url": { type: "string", default: DEFAULT_CHAOS_DATABASE_URL },
    "redis-url": { type: "string", default: DEFAULT_CHAOS_REDIS_URL },
  });
  return {
    durationS: int("duration", values.duration, 20, 3_600),
    shoppers: int("shoppers", values.shoppers, 1, 200),
    killEveryS: int("kill-every", values["kill-every"], 1, 600),
    restartServers: !values["no-restarts"],
    flushAll: values.flushall,
    settleS: int("settle", values.settle, 10, 1_800),
    build: !values["no-build"],
    appDir: path.resolve(values["app-dir"]),
    port: int("port", values.port, 1_024, 65_535),
    databaseUrl: values["database-url"],
    redisUrl: values["redis-url"],
  };
}
