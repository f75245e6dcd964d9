/**
 * `npm run bench:loyalty` — the Loyalty context under load: how fast points are appended and projected, how far the
 * read models trail a steady stream of purchases, and how long a full rebuild of the projections takes.
 *
 * Prepares its own database (migrated, emptied, the seeded campaign rules saved) and Redis database, then:
 * 1. Throughput: starts loyalty worker process(es) exactly as production does (the `worker:loyalty` npm script, e.g.
 *    `node --import tsx workers/loyalty.ts`), publishes N PurchaseCompleted jobs as fast as it can (many customers
 *    plus a few hot ones, whose concurrent appends conflict), and times appends and projections.
 * 2. Lag: publishes at fixed rates and follows each purchase until its points-history row exists.
 * 3. Rebuild: writes a large valid event log straight into loyalty_point_events, times `rebuildProjections`, and
 *    checks the rebuilt read models against SQL aggregates of the events.
 * Figures, not a test: prints tables, writes bench/results/loyalty-<time>.json, and exits non-zero only when a
 * correctness check fails.
 *
 *   npm run bench:loyalty
 *   npm run bench:loyalty -- --skip-throughput --rebuild-events 200000 --profile-rebuild
 *   npm run bench:loyalty -- --help
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import type { PurchaseCompleted } from "@/server/retail/checkout/purchase-completed";
import {
  applyToThisProcess,
  BenchConfigError,
  childEnv,
  newSessionSecret,
  parseKeyValues,
  REPO_ROOT,
  workerCommand,
  type AppEnv,
  integerOption,
} from "./lib/bench-env";
import { beginBenchRun } from "./lib/bench-run";
import { benchClient, clientPort, flushBenchRedis, migrateBenchDatabase, postgresSettings } from "./lib/bench-db";
import { exitIfAnyDies, installCleanup, startChild, type ManagedChild } from "./lib/children";
import { cpuSnapshot } from "./lib/proc-cpu";
import { errorMessage, gitInfo, machineInfo, printInvariants, step, writeResults, type InvariantResult } from "./lib/report";
import { statementCounts } from "./lib/server-stats";
import { printReport, type LoyaltyReport } from "./loyalty/print-report";
import { customerPool, newPurchase, type PurchaseMix } from "./loyalty/purchases";
import type { PhaseProbe } from "./loyalty/throughput";

const DEFAULT_DATABASE_URL = "postgresql://postgres:postgres@127.0.0.1:5432/unicorn_retail_bench_loyalty";
const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/6";
const REBUILD_TARGET_SECONDS = 60;

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

type Options = {
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

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
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
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  const int = integerOption;
  const share = (name: string, raw: string) => {
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0 || value > 1) throw new BenchConfigError(`--${name} must be a number 0–1`);
    return value;
  };
  const options: Options = {
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

async function main(): Promise<void> {
  const options = parseOptions();
  const { startedAt, databaseName, runId, logDir } = await beginBenchRun("loyalty", options);
  const counterDir = path.join(logDir, "statements");
  fs.mkdirSync(counterDir, { recursive: true });
  const workerPhasesS = options.throughput ? options.timeoutS + options.rates.length * (options.rateDurationS + 90) : 0;
  const rebuildS = options.rebuild ? (options.rebuildEvents / 1_000) * (options.profileRebuild ? 2 : 1) : 0;
  installCleanup({ timeLimitMs: (workerPhasesS + rebuildS + 600) * 1000 });

  const sharedEnv: AppEnv = {
    NODE_ENV: "production",
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: options.redisUrl,
    SESSION_SECRET: newSessionSecret(),
    SHOP_MODE: "normal",
  };
  // This process publishes as the outbox relay would, and runs the rebuild as `npm run loyalty:rebuild` would.
  applyToThisProcess({ ...sharedEnv, LOG_LEVEL: "warn", DATABASE_POOL_SIZE: "4" });

  console.log(`Loyalty benchmark — ${runId}`);
  console.log(`  logs: ${path.relative(REPO_ROOT, logDir)}/`);
  step(`Preparing database ${databaseName} and Redis ${options.redisUrl}`);
  await migrateBenchDatabase(sharedEnv, logDir);
  const { disconnectDb } = await import("@/server/db");
  const { sqlPool } = await import("@/server/sql");
  const { emptyShop } = await import("@/prisma/seed/seed-shop");
  const { saveCampaignRule } = await import("@/server/loyalty/rules/campaign-rule-store");
  const { seededCampaignRules, THRESHOLD_100_RULE_ID } = await import("@/server/loyalty/rules/seeded-campaign-rules");
  const { PROJECTION_NAMES } = await import("@/server/loyalty/projections/projection-checkpoints");
  const { enqueue, closeQueues } = await import("@/server/queues/define-queue");
  const { closeProducerConnection, getReadyProducerConnection } = await import("@/server/queues/connections");
  const { purchaseEventsQueue } = await import("@/server/queues/purchase-events-queue");

  await emptyShop();
  await flushBenchRedis(options.redisUrl);
  const admin = await benchClient(options.databaseUrl);
  const poller = await benchClient(options.databaseUrl);
  // The checkpoint rows come with the schema (emptyShop rewinds them); make sure they are there whatever it did.
  await admin.query(`INSERT INTO loyalty_projection_checkpoints (projection) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING`, [
    [...PROJECTION_NAMES],
  ]);
  for (const rule of seededCampaignRules()) await saveCampaignRule(sqlPool, rule, rule.id);
  const pgSettings = await postgresSettings(admin);
  console.log(`  seeded campaign rules saved; PostgreSQL: ${JSON.stringify(pgSettings)}`);

  const workers: ManagedChild[] = [];
  const probe: PhaseProbe = {
    cpu: () =>
      cpuSnapshot({
        roots: Object.fromEntries(workers.filter((worker) => worker.isRunning()).map((worker) => [worker.name, worker.pid])),
        databaseName,
        ownClientPorts: { "postgres (bench's polling)": [clientPort(admin), clientPort(poller)] },
      }),
    workerStatements: () => statementCounts(counterDir, "worker-").total,
  };
  const report: LoyaltyReport = { throughput: null, lag: [], rebuild: null, rebuildProfile: null, seeded: null, workerLog: null };
  const invariants: InvariantResult[] = [];

  if (options.throughput) {
    const command = workerCommand(REPO_ROOT, "worker:loyalty");
    step(`Starting ${options.workers} loyalty worker process(es): ${command.display}`);
    const env = childEnv({
      ...sharedEnv,
      LOG_LEVEL: "info",
      DATABASE_POOL_SIZE: String(options.workerPool),
      LOYALTY_WORKER_CONCURRENCY: String(options.concurrency),
      ...options.workerEnv,
      ...(options.countStatements
        ? {
            NODE_OPTIONS: `${options.workerEnv.NODE_OPTIONS ?? ""} --require ${path.join(__dirname, "lib", "pg-query-counter.cjs")}`.trim(),
            BENCH_PG_COUNTER_FILE: path.join(counterDir, "worker-%p.json"),
          }
        : {}),
    });
    for (let index = 1; index <= options.workers; index += 1) {
      workers.push(
        startChild({ name: `worker-${index}`, command: command.command, args: command.args, cwd: REPO_ROOT, env, logFile: path.join(logDir, `worker-${index}.log`) }),
      );
    }
    await Promise.all(workers.map((worker) => worker.waitForOutput(/"msg":"Worker process started"/, 60_000)));
    const stoppingWorkers = exitIfAnyDies(workers);
    console.log(`  ready: ${workers.map((worker) => `${worker.name} pid ${worker.pid}`).join(", ")}`);
    await getReadyProducerConnection();

    const { measureThroughput } = await import("./loyalty/throughput");
    const { measureLagAtRate } = await import("./loyalty/steady-lag");
    const { checkPurchases, expectedPoints } = await import("./loyalty/check-purchases");
    const { checkLogOrder } = await import("./loyalty/check-log-order");
    const pool = customerPool(options.mix);
    const published: PurchaseCompleted[] = [];
    const publish = async (purchase: PurchaseCompleted) => {
      published.push(purchase);
      await enqueue(purchaseEventsQueue, "purchase-completed", purchase, { jobId: purchase.eventId });
    };

    const purchases = Array.from({ length: options.purchases }, () => newPurchase(pool, options.mix));
    const eventsExpected = purchases.filter((purchase) => expectedPoints(purchase) > 0).length;
    step(
      `Throughput: ${options.purchases} purchases as fast as possible (${options.mix.customers} customers + ${options.mix.hotCustomers} hot ` +
        `ones with ${Math.round(options.mix.hotShare * 100)} % of purchases; ${eventsExpected} earn points)`,
    );
    report.throughput = await measureThroughput({
      purchases,
      eventsExpected,
      publish,
      publishInFlight: options.publishInFlight,
      poller,
      probe,
      timeoutMs: options.timeoutS * 1000,
    });
    console.log(
      `  ${report.throughput.perSecond.appended ?? "–"} events appended/s, ${report.throughput.perSecond.projected ?? "–"} projected/s` +
        (report.throughput.finished ? "" : `  ✗ not finished after ${options.timeoutS} s`),
    );

    if (options.lag) {
      for (const rate of options.rates) {
        step(`Lag at ${rate} purchases/s for ${options.rateDurationS} s`);
        const result = await measureLagAtRate({
          ratePerSecond: rate,
          seconds: options.rateDurationS,
          newPurchase: () => newPurchase(pool, options.mix, { allowSmall: false }),
          publish,
          poller,
          pollMs: options.pollMs,
          drainTimeoutMs: 60_000,
          probe,
        });
        report.lag.push(result);
        console.log(`  visible in the history after p50 ${result.visibleMs.p50} ms, p95 ${result.visibleMs.p95} ms (${result.observed}/${result.published})`);
      }
    }

    step("Checking the worker phases");
    const { Queue } = await import("bullmq");
    const queue = new Queue(purchaseEventsQueue.name, { connection: await getReadyProducerConnection() });
    const counts = await queue.getJobCounts("failed", "waiting", "delayed", "active");
    await queue.close();
    invariants.push(
      ...(await checkPurchases(admin, published, {
        failed: counts.failed ?? 0,
        waiting: (counts.waiting ?? 0) + (counts.delayed ?? 0) + (counts.active ?? 0),
      })),
      // The projection processor reads in batches of 500.
      await checkLogOrder(admin, { limit: 200_000, batchSize: 500 }),
    );
    stoppingWorkers();
    await Promise.all(workers.map((worker) => worker.stop({ timeoutMs: 35_000 })));
    const logText = workers.map((worker) => fs.readFileSync(worker.logFile, "utf8")).join("\n");
    report.workerLog = {
      retriedJobs: (logText.match(/"msg":"Job failed, will retry"/g) ?? []).length,
      failedJobs: (logText.match(/"msg":"Job failed"/g) ?? []).length,
      errors: (logText.match(/"level":50/g) ?? []).length,
    };
    console.log(`  workers stopped; their logs: ${report.workerLog.retriedJobs} job retries, ${report.workerLog.failedJobs} jobs failed for good`);
  }

  if (options.rebuild) {
    const { seedPointEvents } = await import("./loyalty/seed-point-events");
    const { timeRebuild, verifyRebuild, profileRebuild } = await import("./loyalty/rebuild");
    step(`Rebuild: writing ${options.rebuildEvents.toLocaleString("en")} point events over ${options.rebuildCustomers.toLocaleString("en")} customers`);
    await admin.query(
      `TRUNCATE loyalty_point_events, loyalty_processed_messages, loyalty_balances, loyalty_lots, loyalty_history RESTART IDENTITY`,
    );
    await admin.query(`UPDATE loyalty_projection_checkpoints SET position = 0, updated_at = now()`);
    report.seeded = await seedPointEvents(admin, {
      events: options.rebuildEvents,
      customers: options.rebuildCustomers,
      ruleId: THRESHOLD_100_RULE_ID,
      positionsFrom: options.positionsFrom,
    });
    console.log(
      `  ${report.seeded.events.toLocaleString("en")} events (${report.seeded.earned.toLocaleString("en")} PointsEarned, ` +
        `${report.seeded.redeemed.toLocaleString("en")} PointsRedeemed) over ${report.seeded.customers.toLocaleString("en")} customers in ${report.seeded.seconds} s`,
    );
    const { checkLogOrder } = await import("./loyalty/check-log-order");
    const order = await checkLogOrder(admin, { limit: 20_000, batchSize: options.rebuildBatch ?? 10_000 });
    invariants.push(order);
    if (!order.ok) console.log(`  ✗ ${order.name}: ${order.detail}`);
    step(`Timing rebuildProjections (target ≤ ${REBUILD_TARGET_SECONDS} s)`);
    try {
      report.rebuild = await timeRebuild({ ...(options.rebuildBatch ? { batchSize: options.rebuildBatch } : {}), probe });
    } catch (error) {
      // A rebuild that fails rolls back; the bench still reports what it measured.
      console.log(`  ✗ rebuildProjections failed: ${errorMessage(error)}`);
      invariants.push({ name: "rebuildProjections completes", ok: false, detail: errorMessage(error) });
    }
    if (report.rebuild) {
      console.log(`  ${report.rebuild.events.toLocaleString("en")} events in ${report.rebuild.seconds} s (${report.rebuild.eventsPerSecond}/s)`);
      step("Checking the rebuilt read models against SQL aggregates of the events");
      invariants.push(...(await verifyRebuild(admin, report.seeded.events, report.rebuild.events)));
      if (options.profileRebuild) {
        step("Profiling: rebuildProjections once more, with a stopwatch on every statement and a CPU profile");
        report.rebuildProfile = await profileRebuild({
          ...(options.rebuildBatch ? { batchSize: options.rebuildBatch } : {}),
          probe,
          cpuProfileFile: path.join(logDir, "rebuild.cpuprofile"),
        });
        console.log(`  CPU profile: ${path.relative(REPO_ROOT, path.join(logDir, "rebuild.cpuprofile"))} (opens in Chrome DevTools)`);
      } else if (report.rebuild.seconds > REBUILD_TARGET_SECONDS) {
        console.log("  slower than the target: run with --profile-rebuild to see where the time goes");
      }
    }
  }

  step("Checks");
  const ok = printInvariants(invariants);
  await closeQueues();
  await closeProducerConnection();
  await disconnectDb();
  await Promise.all([admin.end(), poller.end()]);
  await flushBenchRedis(options.redisUrl);

  printReport(report, { rebuildTargetSeconds: REBUILD_TARGET_SECONDS });
  const file = writeResults("loyalty", startedAt, {
    benchmark: "loyalty",
    runId,
    label: options.label,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: machineInfo(),
    git: gitInfo(),
    postgres: pgSettings,
    settings: { ...options, rebuildTargetSeconds: REBUILD_TARGET_SECONDS },
    ...report,
    invariants,
    ok,
  });
  console.log(`\nResults: ${path.relative(REPO_ROOT, file)} (and bench/results/latest-loyalty.json)`);
  if (!ok) {
    console.error("✗ A correctness check failed (see above).");
    process.exitCode = 1;
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    console.error(`\n✗ Loyalty benchmark failed: ${errorMessage(error)}`);
    if (!(error instanceof BenchConfigError) && error instanceof Error && error.stack) console.error(error.stack);
    process.exit(1);
  },
);
