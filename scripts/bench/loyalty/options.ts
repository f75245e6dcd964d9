import { BenchConfigError, integerOption as int, parseKeyValues, type AppEnv } from "../lib/bench-env";
import { parseBenchArgs } from "../lib/bench-main";
import type { PurchaseMix } from "./purchases";

const DEFAULT_DATABASE_URL = "postgresql://postgres:postgres@127.0.0.1:5432/unicorn_retail_bench_loyalty";
const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/6";

const HELP = `Usage: npm run bench:loyalty -- [options]

  --purchases N          purchases published as fast as possible in the throughput phase, default 20000
  --customers N          regular customers the purchases are spread over, default 10000
  --hot-customers N      customers that get --hot-share of all purchases between them, default 4
  --hot-share F          share of purchases going to the hot customers (version conflicts), default 0.05
  --small-share F        share of purchases under $100 (they earn no points), default 0.1
  --publish-in-flight N  enqueue calls in flight while publishing as fast as possible, default 64
  --rates LIST           steady purchase rates for the lag phase, per second, default 50,200
  --rate-duration S      seconds of publishing at each rate, default 15
  --poll-ms N            how often the lag phase reads the point-history checkpoint, default 25
  --workers N            loyalty worker processes, default 1
  --concurrency N        LOYALTY_WORKER_CONCURRENCY of each worker, default 8 (the app's default)
  --worker-pool N        DATABASE_POOL_SIZE of each worker, default 5 (the app's default)
  --worker-env K=V       extra environment for the workers (repeatable), e.g. LOYALTY_PROJECTION_INTERVAL_MS=100
  --timeout S            give up on the throughput phase after this long, default 600
  --rebuild-events N     events written for the rebuild phase, default 1000000
  --rebuild-customers N  customers they are spread over, default 100000
  --rebuild-batch N      batchSize passed to rebuildProjections, default: the app's own
  --positions-from N     first position of the rebuild's log (its sequence's start), default 1; e.g. 1000000 gives
                         every position of a 1M-event log the same number of digits
  --profile-rebuild      then rebuild once more with a stopwatch on every statement and a CPU profile (.cpuprofile)
  --skip-throughput      no worker phases (neither throughput nor lag): only the rebuild
  --skip-lag             no lag phase
  --skip-rebuild         no rebuild phase
  --no-count-statements  do not preload the statement counter into the workers
  --label TEXT           a note stored with the results
  --database-url URL     default ${DEFAULT_DATABASE_URL}
  --redis-url URL        default ${DEFAULT_REDIS_URL}
`;

export type LoyaltyOptions = {
  purchases: number;
  mix: PurchaseMix;
  publishInFlight: number;
  rates: number[];
  rateDurationS: number;
  pollMs: number;
  workers: number;
  concurrency: number;
  workerPool: number;
  workerEnv: AppEnv;
  timeoutS: number;
  rebuildEvents: number;
  rebuildCustomers: number;
  rebuildBatch: number | null;
  positionsFrom: number;
  profileRebuild: boolean;
  throughput: boolean;
  lag: boolean;
  rebuild: boolean;
  countStatements: boolean;
  label: string | null;
  databaseUrl: string;
  redisUrl: string;
};

/** The loyalty bench's command line, checked (bounds, shares, and the PostgreSQL connections it would take). */
export function parseLoyaltyOptions(): LoyaltyOptions {
  const values = parseBenchArgs(HELP, {
    purchases: { type: "string", default: "20000" },
    customers: { type: "string", default: "10000" },
    "hot-customers": { type: "string", default: "4" },
    "hot-share": { type: "string", default: "0.05" },
    "small-share": { type: "string", default: "0.1" },
    "publish-in-flight": { type: "string", default: "64" },
    rates: { type: "string", default: "50,200" },
    "rate-duration": { type: "string", default: "15" },
    "poll-ms": { type: "string", default: "25" },
    workers: { type: "string", default: "1" },
    concurrency: { type: "string", default: "8" },
    "worker-pool": { type: "string", default: "5" },
    "worker-env": { type: "string", multiple: true, default: [] },
    timeout: { type: "string", default: "600" },
    "rebuild-events": { type: "string", default: "1000000" },
    "rebuild-customers": { type: "string", default: "100000" },
    "rebuild-batch": { type: "string" },
    "positions-from": { type: "string", default: "1" },
    "profile-rebuild": { type: "boolean", default: false },
    "skip-throughput": { type: "boolean", default: false },
    "skip-lag": { type: "boolean", default: false },
    "skip-rebuild": { type: "boolean", default: false },
    "no-count-statements": { type: "boolean", default: false },
    label: { type: "string" },
    "database-url": { type: "string", default: DEFAULT_DATABASE_URL },
    "redis-url": { type: "string", default: DEFAULT_REDIS_URL },
  });
  const options: LoyaltyOptions = {
    purchases: int("purchases", values.purchases, 1, 1_000_000),
    mix: {
      customers: int("customers", values.customers, 1, 1_000_000),
      hotCustomers: int("hot-customers", values["hot-customers"], 0, 1_000),
      hotShare: share("hot-share", values["hot-share"]),
      smallShare: share("small-share", values["small-share"]),
    },
    publishInFlight: int("publish-in-flight", values["publish-in-flight"], 1, 1_000),
    rates: values.rates.split(",").map((rate) => int("rates", rate.trim(), 1, 10_000)),
    rateDurationS: int("rate-duration", values["rate-duration"], 1, 3_600),
    pollMs: int("poll-ms", values["poll-ms"], 1, 1_000),
    workers: int("workers", values.workers, 1, 8),
    concurrency: int("concurrency", values.concurrency, 1, 200),
    workerPool: int("worker-pool", values["worker-pool"], 1, 40),
    workerEnv: parseKeyValues(values["worker-env"]),
    timeoutS: int("timeout", values.timeout, 10, 7_200),
    rebuildEvents: int("rebuild-events", values["rebuild-events"], 1, 50_000_000),
    rebuildCustomers: int("rebuild-customers", values["rebuild-customers"], 1, 10_000_000),
    rebuildBatch: values["rebuild-batch"] === undefined ? null : int("rebuild-batch", values["rebuild-batch"], 1, 1_000_000),
    positionsFrom: int("positions-from", values["positions-from"], 1, 1_000_000_000_000),
    profileRebuild: values["profile-rebuild"],
    throughput: !values["skip-throughput"],
    lag: !values["skip-throughput"] && !values["skip-lag"],
    rebuild: !values["skip-rebuild"],
    countStatements: !values["no-count-statements"],
    label: values.label ?? null,
    databaseUrl: values["database-url"],
    redisUrl: values["redis-url"],
  };
  if (options.mix.hotShare > 0 && options.mix.hotCustomers === 0) throw new BenchConfigError("--hot-share needs --hot-customers ≥ 1");
  // The bench's own pool (4), its two bookkeeping connections and the advisory lock's.
  const connections = options.workers * options.workerPool + 4 + 3;
  if (connections > 40) throw new BenchConfigError(`${connections} PostgreSQL connections is too many on a shared machine (max_connections 100)`);
  return options;
}

/** A command-line share: a number from 0 to 1. */
function share(name: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || value > 1) throw new BenchConfigError(`--${name} must be a number 0–1`);
  return value;
}
