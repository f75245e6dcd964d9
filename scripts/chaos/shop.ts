import path from "node:path";
import { BENCH_DIST_DIR, buildApp } from "../bench/lib/app-mirror";
import { exitIfAnyDies, runToCompletion, startBenchChild, type ManagedChild } from "../bench/lib/bench-children";
import { applyToThisProcess, childEnv, productionShopEnv, type AppEnv } from "../bench/lib/bench-env";
import { benchClient, flushBenchRedis, migrateBenchDatabase, seedBenchDatabaseForBuild } from "../bench/lib/bench-db";
import type { BenchRun } from "../bench/lib/bench-run";
import { startWebServer, waitUntilAnswering } from "../bench/lib/bench-web";
import { step } from "../bench/lib/report";
import type { ChaosOptions } from "./options";
import type { Product } from "./shoppers";

/** The shop the chaos run breaks: the production build, one web server, and the workers under their supervisor. */

/** Two of each, so that a killed worker's jobs have somewhere to go while the supervisor starts it again. */
export const SUPERVISED_WORKERS = ["checkout", "checkout", "loyalty", "loyalty"] as const;
/** Units added to every unicorn's stock: the chaos run is about faults, not about selling out. */
const AMPLE_STOCK = 1_000_000;

/**
 * The workers' settings: quick sweeps, relays, reconciliation and audits, and a short job lock, so that what a fault
 * interrupts is picked up again within seconds rather than the production minutes (the mechanisms are the same).
 */
export const WORKER_ENV: AppEnv = {
  LOG_LEVEL: "info",
  SAGA_SWEEP_INTERVAL_MS: "1000",
  SAGA_RECOVER_AFTER_MS: "5000",
  OUTBOX_RELAY_INTERVAL_MS: "200",
  QUEUE_LOCK_DURATION_MS: "5000",
  LOYALTY_PROJECTION_INTERVAL_MS: "300",
  LOYALTY_RECONCILE_INTERVAL_MS: "3000",
  LOYALTY_RECONCILE_SETTLE_MS: "10000",
  INVARIANT_AUDIT_INTERVAL_MS: "10000",
};

/**
 * The web server's limits: the shoppers all come from 127.0.0.1, each signing up, topping up and asking again with
 * the same request whenever the shop answers 503, so the production allowances per network would stop the load.
 */
export const WEB_LIMITS: AppEnv = {
  RATE_LIMIT_SIGN_IN_PER_IP: "1000000/15m",
  RATE_LIMIT_SIGN_UP_PER_IP: "1000000/1h",
  RATE_LIMIT_TOP_UP_PER_CUSTOMER: "1000000/1h",
};

export type ChaosShop = { appEnv: AppEnv; web: ManagedChild; supervisor: ManagedChild; products: Product[]; stoppingOnPurpose: () => void };

export async function startChaosShop(options: ChaosOptions, run: BenchRun): Promise<ChaosShop> {
  const appEnv = productionShopEnv(options);
  applyToThisProcess({ ...appEnv, LOG_LEVEL: "warn", DATABASE_POOL_SIZE: "2" });
  await buildApp(options, appEnv, run.logDir, () => seedBenchDatabaseForBuild(appEnv, run.logDir, options.appDir));
  step(`Resetting ${run.databaseName} to the Cyber Monday state, with ${AMPLE_STOCK.toLocaleString("en-US")} more of every unicorn`);
  await resetInChildProcess(appEnv, options, run.logDir);
  const products = await stockUp(options.databaseUrl);

  step(`Starting the web server and ${SUPERVISED_WORKERS.join(", ")} workers under workers/supervise.ts`);
  const web = startWebServer({
    name: "web",
    appDir: options.appDir,
    port: options.port,
    env: { ...appEnv, ...WEB_LIMITS, NEXT_DIST_DIR: BENCH_DIST_DIR, LOG_LEVEL: "info" },
    logFile: path.join(run.logDir, "web.log"),
  });
  const supervisor = startBenchChild({
    name: "supervisor",
    command: process.execPath,
    args: ["--import", "tsx", "workers/supervise.ts", ...SUPERVISED_WORKERS],
    cwd: options.appDir,
    env: childEnv({ ...appEnv, ...WORKER_ENV }),
    logFile: path.join(run.logDir, "workers.log"),
  });
  await Promise.all([
    waitUntilAnswering(web),
    supervisor.waitFor(() => (startedWorkers(supervisor) >= SUPERVISED_WORKERS.length ? true : undefined), {
      timeoutMs: 90_000,
      waitingFor: `${SUPERVISED_WORKERS.length} workers to start`,
      details: () => supervisor.tail(30),
    }),
  ]);
  console.log(`  ready: web pid ${web.child.pid}, supervisor pid ${supervisor.pid}; logs in ${run.logDir}`);
  // The web server and the supervisor must outlive every fault: either dying fails the run at once.
  return { appEnv, web: web.child, supervisor, products, stoppingOnPurpose: exitIfAnyDies([web.child, supervisor]) };
}

/**
 * The app's own reset (npm run db:reset), in a child process: this process's database pool stays unopened until the
 * checks at the end, so no fault on the way can leave it holding a dead connection.
 */
export async function resetInChildProcess(appEnv: AppEnv, options: Pick<ChaosOptions, "appDir" | "redisUrl">, logDir: string): Promise<void> {
  await migrateBenchDatabase(appEnv, logDir, options.appDir);
  await runToCompletion({
    name: "reset",
    command: path.join(options.appDir, "node_modules", ".bin", "tsx"),
    args: ["scripts/db/reset.ts"],
    cwd: options.appDir,
    env: childEnv(appEnv),
    logFile: path.join(logDir, "reset.log"),
    timeoutMs: 120_000,
  });
  await flushBenchRedis(options.redisUrl);
}

function startedWorkers(supervisor: ManagedChild): number {
  return supervisor.tail(10_000).match(/"msg":"Worker process started"/g)?.length ?? 0;
}

async function stockUp(databaseUrl: string): Promise<Product[]> {
  const client = await benchClient(databaseUrl);
  try {
    await client.query("UPDATE inventory SET on_hand = on_hand + $1", [AMPLE_STOCK]);
    const { rows } = await client.query<Product>(`SELECT slug, sale_price_cents AS "salePriceCents" FROM products ORDER BY slug`);
    return rows;
  } finally {
    await client.end();
  }
}
