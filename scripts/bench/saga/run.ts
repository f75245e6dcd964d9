import fs from "node:fs";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { installCleanup, stopChildren, type ManagedChild } from "../lib/bench-children";
import { clientPort, countStatementsInThisProcess } from "../lib/bench-db";
import { applyToThisProcess, checkoutWorkerCommand, productionShopEnv, REPO_ROOT, workerCommand, type AppEnv } from "../lib/bench-env";
import { beginBenchRun, type BenchRun } from "../lib/bench-run";
import { startWorkers, statementCounterEnv } from "../lib/bench-workers";
import { cpuSnapshot } from "../lib/proc-cpu";
import { fmt, printInvariants, step } from "../lib/report";
import { pgCounters, statementCounts } from "../lib/server-stats";
import { summedRedisCounters } from "../lib/bench-cluster";
import { checkSagaInvariants } from "./invariants";
import { LEVEL_OVERHEAD_S, runLevel, SAGA_TABLES, type LevelContext } from "./level";
import type { LevelResult, Snapshots } from "./level-result";
import { LOYALTY_WORKER_POOL, type SagaOptions } from "./options";
import { printLevelLine, type SagaRun } from "./report";
import { prepareSagaShop, PRICE_CENTS, type SagaShop } from "./shop";
import { TerminalPoller } from "./terminal-poller";

/**
 * Prepares the shop, starts the checkout workers as production does, runs every level (after an unmeasured prime),
 * checks the invariants over the whole database and stops everything it started.
 */
export async function runSaga(options: SagaOptions): Promise<SagaRun> {
  const run = await beginBenchRun("saga", options);
  const counterDir = path.join(run.logDir, "statements");
  fs.mkdirSync(counterDir, { recursive: true });
  const live: { poller?: TerminalPoller } = {};
  // Exactly the share asked for, spread evenly over the run: every 1/share-th checkout uses points.
  let owed = 0;
  const usesPoints = () => {
    owed += options.pointsShare;
    if (owed < 1) return false;
    owed -= 1;
    return true;
  };
  const perLevelS = options.warmupS + options.durationS + LEVEL_OVERHEAD_S;
  installCleanup({
    timeLimitMs: (options.primeS + options.levels.length * perLevelS + 240) * 1000,
    onShutdown: async () => live.poller?.abandonAll(),
  });

  const sharedEnv: AppEnv = onTopology(options, {
    ...productionShopEnv({ databaseUrl: options.databaseUrl, redisUrl: options.redisUrl, port: 3300 }),
    // This process (it starts the sagas) and the workers must agree on the partitions.
    ...(options.partitions ? { SAGA_QUEUE_PARTITIONS: String(options.partitions[0]) } : {}),
  });
  // This process starts the sagas as the web process would: the same modules, its own pool.
  applyToThisProcess({ ...sharedEnv, LOG_LEVEL: "warn", DATABASE_POOL_SIZE: String(options.benchPool) });
  const benchStatements = countStatementsInThisProcess();
  printHeader(options, run);

  step(`Preparing database ${run.databaseName} and ${options.clusterNodes ? `the Redis Cluster ${options.clusterNodes}` : `Redis ${options.redisUrl}`}`);
  const shop = await prepareSagaShop(options, sharedEnv, run.logDir);
  const workerCommand = checkoutWorkerCommand(REPO_ROOT);
  const { workers, stoppingOnPurpose } = await startCheckoutWorkers(options, { command: workerCommand, appEnv: sharedEnv, logDir: run.logDir, counterDir });
  const loyalty = await startLoyaltyWorker(options, { appEnv: sharedEnv, logDir: run.logDir });

  // The first checkouts would otherwise all wait for the producer's Redis connection at once.
  await shop.getReadyProducerConnection();
  // The count this process sends sagas to, as the workers resolved it too (on a cluster, unset: one per master).
  const partitions = await shop.resolveSagaQueuePartitions();
  console.log(`  saga step queue in ${partitions.partitions} partition(s) (${partitions.source})`);
  const poller = new TerminalPoller(shop.pollerClient, options.pollMs);
  live.poller = poller;
  poller.start();
  const context: LevelContext = {
    poller,
    customerIds: shop.customerIds,
    slugs: shop.slugs,
    startCheckout: (customerId, productSlug) =>
      shop.startCheckout({
        customerId,
        productSlug,
        quantity: 1,
        idempotencyKey: randomUUID(),
        pointsToUse: usesPoints() ? options.points : 0,
        sagas: shop.sagaEngine,
        reservationTtlMs: shop.reservationTtlMs,
      }),
    startedSagaIds: new Set<string>(),
    vacuumClient: shop.vacuumClient,
    vacuumEveryS: options.vacuumEveryS,
    admin: shop.admin,
    takeSnapshots: () => takeSnapshots({ shop, workers, databaseName: run.databaseName, counterDir, benchStatements, poller }),
  };
  const levels = await measureLevels(options, context, shop);
  await poller.stop();

  step("Checking invariants");
  const invariants = await checkSagaInvariants(shop.admin, { startedSagaIds: context.startedSagaIds.size, stock: options.stock, usesPoints: options.pointsShare > 0 });
  const ok = printInvariants(invariants);

  step("Stopping the workers");
  stoppingOnPurpose();
  loyalty?.stoppingOnPurpose();
  await stopChildren([...workers, ...(loyalty?.workers ?? [])]);
  await shop.close();
  return {
    run,
    postgres: shop.postgres,
    workerCommand: workerCommand.display,
    priceCents: PRICE_CENTS,
    customers: shop.customerIds.length,
    levels,
    invariants,
    ok,
  };
}

/** With --cluster-nodes, the shop's processes run on that Redis Cluster (server/env.ts refuses REDIS_URL beside it). */
function onTopology(options: SagaOptions, appEnv: AppEnv): AppEnv {
  if (!options.clusterNodes) return appEnv;
  const { REDIS_URL: _oneRedis, ...rest } = appEnv;
  return { ...rest, REDIS_CLUSTER_NODES: options.clusterNodes };
}

function printHeader(options: SagaOptions, run: BenchRun): void {
  console.log(`Saga benchmark — ${run.runId}`);
  console.log(
    `  ${options.workers} worker process(es) × concurrency ${options.concurrency}, pool ${options.workerPool} each; ` +
      `bench pool ${options.benchPool}; levels ${options.levels.join(", ")}; ${options.warmupS} s warm-up + ${options.durationS} s each`,
  );
  if (options.pointsShare > 0) console.log(`  ${Math.round(options.pointsShare * 100)}% of checkouts pay ${options.points} points (a loyalty worker answers)`);
  console.log(`  logs: ${path.relative(REPO_ROOT, run.logDir)}/`);
}

/** The checkout workers, started as production does, with the bench's pool and concurrency (and statement counter). */
async function startCheckoutWorkers(
  options: SagaOptions,
  start: { command: ReturnType<typeof checkoutWorkerCommand>; appEnv: AppEnv; logDir: string; counterDir: string },
): Promise<{ workers: ManagedChild[]; stoppingOnPurpose: () => void }> {
  step(`Starting ${options.workers} checkout worker process(es): ${start.command.display}`);
  return startWorkers({
    count: options.workers,
    command: start.command,
    cwd: REPO_ROOT,
    env: {
      ...start.appEnv,
      LOG_LEVEL: "info",
      DATABASE_POOL_SIZE: String(options.workerPool),
      CHECKOUT_WORKER_CONCURRENCY: String(options.concurrency),
      ...options.workerEnv,
      ...(options.countStatements ? statementCounterEnv(start.counterDir, options.workerEnv) : {}),
    },
    logDir: start.logDir,
  });
}

/**
 * With --points-share: one loyalty worker, started as production does, to answer the checkouts' points commands
 * (its other periodic work, projections and expiry, runs too, as it would in production).
 */
async function startLoyaltyWorker(
  options: SagaOptions,
  start: { appEnv: AppEnv; logDir: string },
): Promise<{ workers: ManagedChild[]; stoppingOnPurpose: () => void } | null> {
  if (options.pointsShare <= 0) return null;
  const command = workerCommand(REPO_ROOT, "worker:loyalty");
  step(`Starting a loyalty worker process: ${command.display}`);
  return startWorkers({
    count: 1,
    name: "loyalty-worker",
    command,
    cwd: REPO_ROOT,
    env: { ...start.appEnv, LOG_LEVEL: "info", DATABASE_POOL_SIZE: String(LOYALTY_WORKER_POOL) },
    logDir: start.logDir,
  });
}

/** The unmeasured prime at the first level, then each level in turn (VACUUM ANALYZE before each, unless told not to). */
async function measureLevels(options: SagaOptions, context: LevelContext, shop: SagaShop): Promise<LevelResult[]> {
  const results: LevelResult[] = [];
  if (options.primeS > 0) {
    step(`Priming for ${options.primeS} s at C=${options.levels[0]} (not measured)`);
    await runLevel(context, options.levels[0] as number, options.primeS, 0, false);
  }
  step("Measuring");
  for (const clients of options.levels) {
    if (options.vacuumBetweenLevels) {
      const started = performance.now();
      await shop.vacuumClient.query(`VACUUM (ANALYZE) ${SAGA_TABLES.join(", ")}`);
      console.log(`  (VACUUM ANALYZE before C=${clients}: ${fmt(performance.now() - started)} ms)`);
    }
    const result = await runLevel(context, clients, options.warmupS, options.durationS, true);
    if (!result) continue;
    results.push(result);
    printLevelLine(result);
  }
  return results;
}

/** Every counter at this moment: CPU per process group, PostgreSQL's and Redis' counters, statements sent. */
async function takeSnapshots(sources: {
  shop: SagaShop;
  workers: readonly ManagedChild[];
  databaseName: string;
  counterDir: string;
  benchStatements: () => { total: number; byKind: Record<string, number> };
  poller: TerminalPoller;
}): Promise<Snapshots> {
  const { shop } = sources;
  const [pgNow, redisNow] = await Promise.all([pgCounters(shop.admin), summedRedisCounters(shop.redisNodes)]);
  return {
    cpu: cpuSnapshot({
      roots: Object.fromEntries(sources.workers.map((worker) => [worker.name, worker.pid])),
      databaseName: sources.databaseName,
      ownClientPorts: {
        "postgres (bench's polling)": [clientPort(shop.admin), clientPort(shop.pollerClient)],
        "postgres (bench's vacuum)": [clientPort(shop.vacuumClient)],
      },
    }),
    pg: pgNow,
    redis: redisNow,
    workerStatements: statementCounts(sources.counterDir, "worker-"),
    benchStatements: sources.benchStatements(),
    polls: sources.poller.polls,
    benchCpu: process.cpuUsage(),
  };
}
