import fs from "node:fs";
import path from "node:path";

/**
 * The services a benchmark may use, and the environment its child processes get. Benchmarks own their own database,
 * Redis database and port, and refuse anything that is not on 127.0.0.1 or that belongs to the demo or the tests.
 */

export const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");
export const RESULTS_DIR = path.join(REPO_ROOT, "bench", "results");

export const DEFAULT_BENCH_DATABASE_URL = "postgresql://postgres:postgres@127.0.0.1:5432/unicorn_retail_bench";
export const DEFAULT_BENCH_REDIS_URL = "redis://127.0.0.1:6379/5";
export const DEFAULT_BENCH_PORT = 3300;

/** Redis databases used by others on this machine: the demo (0), the integration tests (1), the e2e suite (2). */
const FOREIGN_REDIS_DBS = new Set([0, 1, 2]);
const LOCAL_HOSTS = new Set(["127.0.0.1"]);

/** Every variable server/env.ts reads: none of them may leak into a benchmark from the caller's shell. */
const APP_ENV_KEYS = [
  "NODE_ENV",
  "DATABASE_URL",
  "DATABASE_POOL_SIZE",
  "DATABASE_CONNECT_TIMEOUT_MS",
  "DATABASE_STATEMENT_TIMEOUT_MS",
  "DATABASE_LOCK_TIMEOUT_MS",
  "DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS",
  "REDIS_URL",
  "REDIS_CLUSTER_NODES",
  "APP_URL",
  "ALLOW_HTTP_APP_URL",
  "REQUEST_BODY_LIMIT_BYTES",
  "LOG_LEVEL",
  "SHOP_MODE",
  "RESERVATION_TTL_SECONDS",
  "TOP_UP_DAILY_LIMIT_CENTS",
  "SAGA_RECOVER_AFTER_MS",
  "SAGA_SWEEP_INTERVAL_MS",
  "OUTBOX_RELAY_INTERVAL_MS",
  "CHECKOUT_WORKER_CONCURRENCY",
  "QUEUE_LOCK_DURATION_MS",
  "LOYALTY_LOT_LIFETIME_DAYS",
  "LOYALTY_WORKER_CONCURRENCY",
  "LOYALTY_PROJECTION_INTERVAL_MS",
  "LOYALTY_EXPIRY_INTERVAL_MS",
  "INVARIANT_AUDIT_INTERVAL_MS",
  "LOYALTY_RECONCILE_INTERVAL_MS",
  "LOYALTY_RECONCILE_SETTLE_MS",
  "RATE_LIMIT_SIGN_IN_PER_ACCOUNT",
  "RATE_LIMIT_SIGN_IN_PER_IP",
  "RATE_LIMIT_SIGN_UP_PER_IP",
  "RATE_LIMIT_TOP_UP_PER_CUSTOMER",
  "TRUSTED_PROXY_HOPS",
  "METRICS_TOKEN",
  "METRICS_PUBLISH_INTERVAL_MS",
  "WORKER_LIVENESS_FILE",
  "NEXT_DIST_DIR",
  "NODE_OPTIONS",
];

export class BenchConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BenchConfigError";
  }
}

/** Refuses a database that is not a local `…bench…` database (a benchmark empties it). */
export function checkBenchDatabaseUrl(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  if (!/^postgres(ql)?:$/.test(url.protocol)) throw new BenchConfigError(`Not a PostgreSQL URL: ${databaseUrl}`);
  if (!LOCAL_HOSTS.has(url.hostname)) throw new BenchConfigError(`The bench database must be on 127.0.0.1, not ${url.hostname}`);
  const name = decodeURIComponent(url.pathname.slice(1));
  if (!/^[a-z0-9_]*bench[a-z0-9_]*$/.test(name)) {
    throw new BenchConfigError(`Refusing database "${name}": a benchmark empties its database, so its name must contain "bench"`);
  }
  return name;
}

/** Refuses a Redis that is not local, or a database number that belongs to the demo or the tests. */
export function checkBenchRedisUrl(redisUrl: string): number {
  const url = new URL(redisUrl);
  if (url.protocol !== "redis:") throw new BenchConfigError(`Not a redis:// URL: ${redisUrl}`);
  if (!LOCAL_HOSTS.has(url.hostname)) throw new BenchConfigError(`The bench Redis must be on 127.0.0.1, not ${url.hostname}`);
  const db = Number(url.pathname.slice(1));
  if (!Number.isInteger(db) || url.pathname.length < 2) throw new BenchConfigError(`Name the Redis database in ${redisUrl} (e.g. /5)`);
  if (FOREIGN_REDIS_DBS.has(db)) throw new BenchConfigError(`Refusing Redis database ${db}: it belongs to the demo or the tests`);
  return db;
}

export type AppEnv = Record<string, string>;

/** The environment of a child process: the caller's, minus anything the app reads, plus exactly what the bench sets. */
export function childEnv(appEnv: AppEnv): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const key of APP_ENV_KEYS) delete base[key];
  return { ...base, NEXT_TELEMETRY_DISABLED: "1", CHECKPOINT_DISABLE: "1", ...appEnv };
}

/**
 * The environment every bench gives the shop: production mode on its own database and Redis database, served over
 * plain http on 127.0.0.1 (production requires APP_URL, and https unless ALLOW_HTTP_APP_URL says otherwise).
 */
export function productionShopEnv(options: { databaseUrl: string; redisUrl: string; port?: number }): AppEnv {
  return {
    NODE_ENV: "production",
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: options.redisUrl,
    APP_URL: `http://127.0.0.1:${options.port ?? DEFAULT_BENCH_PORT}`,
    ALLOW_HTTP_APP_URL: "true",
    SHOP_MODE: "normal",
  };
}

/** Sets the app's variables in this process (before any server module is imported) and clears the others. */
export function applyToThisProcess(appEnv: AppEnv): void {
  for (const key of APP_ENV_KEYS) if (key !== "NODE_OPTIONS") delete process.env[key];
  Object.assign(process.env, { NEXT_TELEMETRY_DISABLED: "1", CHECKPOINT_DISABLE: "1" }, appEnv);
}

/** `KEY=VALUE` pairs from repeated command-line options. */
export function parseKeyValues(pairs: readonly string[]): AppEnv {
  const result: AppEnv = {};
  for (const pair of pairs) {
    const index = pair.indexOf("=");
    if (index <= 0) throw new BenchConfigError(`Expected KEY=VALUE, got "${pair}"`);
    result[pair.slice(0, index)] = pair.slice(index + 1);
  }
  return result;
}

/**
 * How production starts a checkout worker: the app's own `worker:checkout` npm script (e.g. `node --import tsx
 * workers/checkout.ts`), run without npm or a shell so that signals reach the worker itself. `node` is this Node.
 */
export function checkoutWorkerCommand(appDir: string): { command: string; args: string[]; display: string } {
  return workerCommand(appDir, "worker:checkout");
}

/** How production starts the worker of `script` (`worker:checkout`, `worker:loyalty`): see checkoutWorkerCommand. */
export function workerCommand(appDir: string, script: string): { command: string; args: string[]; display: string } {
  const { line, program, args } = npmScript(appDir, script, "start workers with");
  const command = program === "node" ? process.execPath : path.join(appDir, "node_modules", ".bin", program);
  return { command, args, display: line };
}

/** How to run the web server, and how to tell that it is up. */
export type WebServerCommand = {
  command: string;
  args: string[];
  /** Set for the server too: a custom server may read its port from the environment. */
  env: AppEnv;
  /** The `start:web` script it was made from. */
  display: string;
  /** It is ready once a GET of this path gets any HTTP answer (a log line such as next's "Ready in" comes earlier). */
  readyPath: string;
};

/**
 * How production starts the web server: the app's own `start:web` npm script, on 127.0.0.1:`port`, run as
 * `node <nodeArgs> <script> …` without npm or a shell (so that signals reach the server itself and `--cpu-prof` can be
 * passed: NODE_OPTIONS cannot carry it). `next start` becomes `node node_modules/next/dist/bin/next start -H … -p …`;
 * a Node script (`node --import tsx server/http/serve.ts`) is given `--hostname 127.0.0.1 --port N` (and PORT).
 */
export function webServerCommand(appDir: string, port: number, nodeArgs: readonly string[] = []): WebServerCommand {
  const script = "start:web";
  const { line, program, args } = npmScript(appDir, script, "start the web server with");
  const run = (scriptArgs: string[]) => ({
    command: process.execPath,
    args: [...nodeArgs, ...scriptArgs],
    env: { PORT: String(port) },
    display: line,
    readyPath: "/",
  });
  if (program === "next" && args[0] === "start") {
    const next = path.join(appDir, "node_modules", "next", "dist", "bin", "next");
    return run([next, ...args, "-H", "127.0.0.1", "-p", String(port)]);
  }
  if (program === "node") return run([...args, "--hostname", "127.0.0.1", "--port", String(port)]);
  throw new BenchConfigError(`Cannot run the "${script}" script (${line}) as node <script>: expected "next start …" or "node …"`);
}

/** A plain npm script of the app (no shell syntax), split into its program and arguments. */
function npmScript(appDir: string, script: string, purpose: string): { line: string; program: string; args: string[] } {
  const manifest = JSON.parse(fs.readFileSync(path.join(appDir, "package.json"), "utf8")) as { scripts?: Record<string, string> };
  const line = manifest.scripts?.[script];
  if (!line || /[|&;<>()$`"'\\]/.test(line)) {
    throw new BenchConfigError(`package.json has no plain "${script}" script to ${purpose} (found: ${line ?? "none"})`);
  }
  const [program, ...args] = line.trim().split(/\s+/);
  if (!program) throw new BenchConfigError(`The "${script}" script is empty`);
  return { line, program, args };
}

/** A command-line option that must be a whole number within bounds. */
export function integerOption(name: string, raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new BenchConfigError(`--${name} must be an integer ${min}–${max}`);
  return value;
}
