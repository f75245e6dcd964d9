/**
 * `npm run bench:saga` — throughput and latency of the checkout saga, straight at the engine (no HTTP).
 *
 * Prepares its own database (migrate, empty, many products with effectively unlimited stock, customers with large
 * wallets), starts checkout worker processes exactly as production does (the `worker:checkout` npm script, e.g.
 * `node --import tsx workers/checkout.ts`), then for each
 * concurrency level runs C virtual clients in a closed loop — start a checkout with `startCheckout` (what the web
 * process does) → wait until its saga is terminal → next — and reports completed sagas/s, end-to-end latency, and
 * where the time and the work go (CPU per process, statements, transactions, WAL, Redis commands per saga).
 * Ends with an invariant check over the whole database; exits non-zero if one is broken.
 *
 *   npm run bench:saga -- --levels 8,32,64,128 --duration 15 --workers 1 --concurrency 48 --worker-pool 5
 *   npm run bench:saga -- --help
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import type { Redis as RedisClient } from "ioredis";
import type pg from "pg";
import {
  applyToThisProcess,
  BenchConfigError,
  checkoutWorkerCommand,
  childEnv,
  DEFAULT_BENCH_DATABASE_URL,
  DEFAULT_BENCH_REDIS_URL,
  newSessionSecret,
  parseKeyValues,
  REPO_ROOT,
  type AppEnv,
  integerOption,
} from "./lib/bench-env";
import { beginBenchRun } from "./lib/bench-run";
import {
  benchClient,
  clientPort,
  countStatementsInThisProcess,
  flushBenchRedis,
  insertCustomersWithWallets,
  migrateBenchDatabase,
  postgresSettings,
} from "./lib/bench-db";
import {
  exitIfAnyDies,
  installCleanup,
  startChild,
  type ManagedChild,
} from "./lib/children";
import { cpuBetween, cpuSnapshot, type CpuSnapshot, type CpuUsage } from "./lib/proc-cpu";
import {
  createProgress,
  errorMessage,
  fmt,
  gitInfo,
  machineInfo,
  printInvariants,
  round,
  step,
  summarize,
  table,
  writeResults,
  type InvariantResult,
  type Summary,
} from "./lib/report";
import {
  diffCounts,
  perUnit,
  pgCounters,
  redisCounters,
  statementCounts,
  type PgCounters,
  type RedisCounters,
} from "./lib/server-stats";

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
  --no-vacuum           do not VACUUM ANALYZE the bench tables between levels (this cluster runs with autovacuum off)
  --vacuum-every S      also VACUUM the saga tables every S seconds during a level (emulates an eager autovacuum), default off
  --worker-env K=V      extra environment for the workers (repeatable), e.g. --worker-env QUEUE_LOCK_DURATION_MS=60000
  --label TEXT          a note stored with the results (e.g. the experiment's name)
  --no-count-statements do not preload the statement counter into the workers
  --database-url URL    default ${DEFAULT_BENCH_DATABASE_URL}
  --redis-url URL       default ${DEFAULT_BENCH_REDIS_URL}
  --max-connections N   refuse pools adding up to more than this, default 30
`;

type Options = {
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
  vacuumBetweenLevels: boolean;
  vacuumEveryS: number;
  workerEnv: AppEnv;
  label: string | null;
  countStatements: boolean;
  databaseUrl: string;
  redisUrl: string;
  maxConnections: number;
};

const PRICE_CENTS = 1_000;
const WALLET_CENTS = 1_000_000_000; // $10M: a million checkouts each, far inside the 32-bit balance column
const DRAIN_TIMEOUT_MS = 60_000;
const TERMINAL = ["completed", "compensated", "needs_attention"] as const;
const STEPS = ["reserve-stock", "debit-wallet", "complete-order"] as const;
/** The tables a checkout writes to: what the bench vacuums. */
const SAGA_TABLES = [
  "saga_instances",
  "saga_step_executions",
  "checkouts",
  "reservations",
  "inventory",
  "wallets",
  "wallet_entries",
  "orders",
  "outbox_messages",
];

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
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
      "no-vacuum": { type: "boolean", default: false },
      "vacuum-every": { type: "string", default: "0" },
      "worker-env": { type: "string", multiple: true, default: [] },
      label: { type: "string" },
      "no-count-statements": { type: "boolean", default: false },
      "database-url": { type: "string", default: DEFAULT_BENCH_DATABASE_URL },
      "redis-url": { type: "string", default: DEFAULT_BENCH_REDIS_URL },
      "max-connections": { type: "string", default: "30" },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  const int = integerOption;
  const options: Options = {
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
    vacuumBetweenLevels: !values["no-vacuum"],
    vacuumEveryS: int("vacuum-every", values["vacuum-every"], 0, 3_600),
    workerEnv: parseKeyValues(values["worker-env"]),
    label: values.label ?? null,
    countStatements: !values["no-count-statements"],
    databaseUrl: values["database-url"],
    redisUrl: values["redis-url"],
    maxConnections: int("max-connections", values["max-connections"], 1, 90),
  };
  // The poller, the counters' client and the vacuum client: 3 connections of the bench's own.
  const connections = options.workers * options.workerPool + options.benchPool + 3;
  if (connections > options.maxConnections) {
    throw new BenchConfigError(
      `${options.workers} worker(s) × ${options.workerPool} + ${options.benchPool} + 3 = ${connections} PostgreSQL connections, ` +
        `more than --max-connections ${options.maxConnections} (max_connections is 100 for everyone on this machine)`,
    );
  }
  return options;
}

type SagaOutcome = { status: string; finishedAtMs: number } | { status: "unfinished"; finishedAtMs: null };

/**
 * The one poller that resolves every in-flight saga: a single indexed query for all of them every `intervalMs`, so
 * that watching costs the database ~100 small queries a second whatever the concurrency.
 */
class TerminalPoller {
  private readonly pending = new Map<string, (outcome: SagaOutcome) => void>();
  private running = true;
  private loop: Promise<void> = Promise.resolve();
  private failures = 0;
  polls = 0;

  constructor(
    private readonly client: pg.Client,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.loop = this.run().catch((error: unknown) => {
      console.error(`\n✗ ${errorMessage(error)}`);
      process.exit(1);
    });
  }

  get inFlight(): number {
    return this.pending.size;
  }

  wait(sagaId: string): Promise<SagaOutcome> {
    return new Promise((resolve) => this.pending.set(sagaId, resolve));
  }

  /** Gives up on every saga still pending (they are counted as unfinished). */
  abandonAll(): void {
    for (const resolve of this.pending.values()) resolve({ status: "unfinished", finishedAtMs: null });
    this.pending.clear();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    this.abandonAll();
  }

  private async run(): Promise<void> {
    while (this.running) {
      if (this.pending.size > 0) {
        const ids = [...this.pending.keys()];
        this.polls += 1;
        let rows: { id: string; status: string; finished_at: Date | null }[];
        try {
          ({ rows } = await this.client.query<{ id: string; status: string; finished_at: Date | null }>(
            `SELECT id::text, status::text, finished_at FROM saga_instances
              WHERE id = ANY($1::uuid[]) AND status = ANY($2::saga_status[])`,
            [ids, TERMINAL],
          ));
          this.failures = 0;
        } catch (error) {
          this.failures += 1;
          if (this.failures >= 50) throw new Error(`The saga poller failed 50 times in a row: ${errorMessage(error)}`);
          await sleep(100);
          continue;
        }
        for (const row of rows) {
          const resolve = this.pending.get(row.id);
          if (!resolve) continue;
          this.pending.delete(row.id);
          resolve({ status: row.status, finishedAtMs: row.finished_at?.getTime() ?? Date.now() });
        }
      }
      await sleep(this.intervalMs);
    }
  }
}

type Sample = {
  startPerf: number;
  startWallMs: number;
  startedPerf: number;
  observedPerf: number;
  status: string;
  finishedAtMs: number | null;
};

type Snapshots = {
  cpu: CpuSnapshot;
  pg: PgCounters;
  redis: RedisCounters;
  workerStatements: { total: number; byKind: Record<string, number> };
  benchStatements: { total: number; byKind: Record<string, number> };
  polls: number;
  benchCpu: NodeJS.CpuUsage;
};

type LevelResult = {
  clients: number;
  measuredSeconds: number;
  completed: number;
  sagasPerSecond: number;
  /** Start call → saga finished (its last step's transaction, as PostgreSQL timed it). */
  latencyMs: Summary;
  /** Start call → the bench's poller saw it finished (adds up to one poll interval and the poll itself). */
  observedLatencyMs: Summary;
  /** The startCheckout call alone (what the web request would wait for). */
  startCallMs: Summary;
  startErrors: number;
  startErrorExamples: string[];
  notCompleted: Record<string, number>;
  cpu: CpuUsage & { cpuMsPerSaga: Record<string, number> };
  perSaga: {
    workerStatements: Record<string, number>;
    benchStatements: Record<string, number>;
    pg: Record<string, number>;
    redisCommands: Record<string, number>;
  };
  polls: number;
  vacuumsDuringLevel: number;
  rawStatementTotals: { workers: number[]; bench: number[] };
  breakdownMs: Record<string, { p50: number | null; p95: number | null }>;
};

async function main(): Promise<void> {
  const options = parseOptions();
  const { startedAt, databaseName, runId, logDir } = await beginBenchRun("saga", options);
  const counterDir = path.join(logDir, "statements");
  fs.mkdirSync(counterDir, { recursive: true });

  const perLevelS = options.warmupS + options.durationS + DRAIN_TIMEOUT_MS / 1000 + 15;
  const timeLimitMs = (options.primeS + options.levels.length * perLevelS + 240) * 1000;
  const live: { poller?: TerminalPoller } = {};
  installCleanup({ timeLimitMs, onShutdown: async () => live.poller?.abandonAll() });

  const sessionSecret = newSessionSecret();
  const sharedEnv: AppEnv = {
    NODE_ENV: "production",
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: options.redisUrl,
    SESSION_SECRET: sessionSecret,
    APP_URL: "http://127.0.0.1:3300",
    SHOP_MODE: "normal",
  };
  // This process starts the sagas as the web process would: the same modules, its own pool.
  applyToThisProcess({ ...sharedEnv, LOG_LEVEL: "warn", DATABASE_POOL_SIZE: String(options.benchPool) });
  const benchStatements = countStatementsInThisProcess();

  console.log(`Saga benchmark — ${runId}`);
  console.log(
    `  ${options.workers} worker process(es) × concurrency ${options.concurrency}, pool ${options.workerPool} each; ` +
      `bench pool ${options.benchPool}; levels ${options.levels.join(", ")}; ${options.warmupS} s warm-up + ${options.durationS} s each`,
  );
  console.log(`  logs: ${path.relative(REPO_ROOT, logDir)}/`);

  step(`Preparing database ${databaseName} and Redis ${options.redisUrl}`);
  await migrateBenchDatabase(sharedEnv, logDir);
  const { disconnectDb } = await import("@/server/db");
  const { emptyShop } = await import("@/prisma/seed/seed-shop");
  const { sagaEngine } = await import("@/server/runtime/checkout-saga-engine");
  const { startCheckout } = await import("@/server/retail/checkout/start-checkout");
  const { closeQueues } = await import("@/server/queues/define-queue");
  const { closeProducerConnection, getReadyProducerConnection } = await import("@/server/queues/connections");
  const { Redis } = await import("ioredis");

  await emptyShop();
  await flushBenchRedis(options.redisUrl);
  const admin = await benchClient(options.databaseUrl);
  const pollerClient = await benchClient(options.databaseUrl);
  const vacuumClient = await benchClient(options.databaseUrl);
  const pgSettings = await postgresSettings(admin);
  if (pgSettings.autovacuum === "off") {
    console.log(
      `  note: autovacuum is off on this PostgreSQL; ${options.vacuumBetweenLevels ? "the bench VACUUMs between levels" : "nothing is vacuumed (--no-vacuum)"}` +
        (options.vacuumEveryS > 0 ? ` and every ${options.vacuumEveryS} s during them` : ", not during them"),
    );
  }
  const redis: RedisClient = new Redis(options.redisUrl, { maxRetriesPerRequest: 1 });
  const customersNeeded = Math.max(...options.levels);
  await admin.query(
    `INSERT INTO products (slug, name, description, colour, list_price_cents, sale_price_cents)
     SELECT 'bench-unicorn-' || i, 'Bench Unicorn ' || i, 'A unicorn for load tests.', '#f0abfc', $2::int * 2, $2::int
       FROM generate_series(1, $1::int) AS i`,
    [options.products, PRICE_CENTS],
  );
  await admin.query(`INSERT INTO inventory (product_id, on_hand) SELECT id, $1::int FROM products`, [options.stock]);
  const customerIds = await insertCustomersWithWallets(admin, {
    count: customersNeeded,
    balanceCents: WALLET_CENTS,
    emailPrefix: "bench-saga",
  });
  await admin.query("ANALYZE");
  const slugs = Array.from({ length: options.products }, (_, index) => `bench-unicorn-${index + 1}`);
  console.log(`  ${options.products} products × ${options.stock.toLocaleString("en")} units; ${customersNeeded} customers with $10M wallets`);

  const workerCommand = checkoutWorkerCommand(REPO_ROOT);
  step(`Starting ${options.workers} checkout worker process(es): ${workerCommand.display}`);
  const workerEnv = childEnv({
    ...sharedEnv,
    LOG_LEVEL: "info",
    DATABASE_POOL_SIZE: String(options.workerPool),
    CHECKOUT_WORKER_CONCURRENCY: String(options.concurrency),
    ...options.workerEnv,
    ...(options.countStatements
      ? {
          NODE_OPTIONS: `${options.workerEnv.NODE_OPTIONS ?? ""} --require ${path.join(__dirname, "lib", "pg-query-counter.cjs")}`.trim(),
          BENCH_PG_COUNTER_FILE: path.join(counterDir, "worker-%p.json"),
        }
      : {}),
  });
  const workers: ManagedChild[] = [];
  for (let index = 1; index <= options.workers; index += 1) {
    workers.push(
      startChild({
        name: `worker-${index}`,
        command: workerCommand.command,
        args: workerCommand.args,
        cwd: REPO_ROOT,
        env: workerEnv,
        logFile: path.join(logDir, `worker-${index}.log`),
      }),
    );
  }
  await Promise.all(workers.map((worker) => worker.waitForOutput(/"msg":"Worker process started"/, 60_000)));
  const stoppingWorkers = exitIfAnyDies(workers);
  console.log(`  ready: ${workers.map((worker) => `${worker.name} pid ${worker.pid}`).join(", ")}`);

  // The first checkouts would otherwise all wait for the producer's Redis connection at once.
  await getReadyProducerConnection();
  const activePoller = new TerminalPoller(pollerClient, options.pollMs);
  live.poller = activePoller;
  activePoller.start();
  const startedSagaIds = new Set<string>();
  const progress = createProgress();

  /** Runs `clients` closed-loop virtual clients; measures between warm-up and the end of the window. */
  async function runLevel(clients: number, warmupS: number, durationS: number, measure: boolean): Promise<LevelResult | null> {
    const samples: Sample[] = [];
    const startErrorExamples: string[] = [];
    let startErrors = 0;
    let stopping = false;
    const levelStart = performance.now();
    const measureStart = levelStart + warmupS * 1000;
    const measureEnd = measureStart + durationS * 1000;

    const client = async (index: number) => {
      const customerId = customerIds[index % customerIds.length] as string;
      while (!stopping) {
        const startPerf = performance.now();
        const startWallMs = Date.now();
        let checkoutId: string;
        try {
          ({ checkoutId } = await startCheckout({
            customerId,
            productSlug: slugs[Math.floor(Math.random() * slugs.length)] as string,
            quantity: 1,
            idempotencyKey: randomUUID(),
            sagas: sagaEngine,
          }));
        } catch (error) {
          startErrors += 1;
          if (startErrorExamples.length < 5) startErrorExamples.push(errorMessage(error).slice(0, 300));
          await sleep(50);
          continue;
        }
        startedSagaIds.add(checkoutId);
        const startedPerf = performance.now();
        const outcome = await activePoller.wait(checkoutId);
        samples.push({ startPerf, startWallMs, startedPerf, observedPerf: performance.now(), ...outcome });
      }
    };

    const label = `C=${String(clients).padStart(3)}`;
    const ticker = setInterval(() => {
      const now = performance.now();
      const done = samples.length;
      if (now < measureStart) {
        progress.update(`  ${label}  warm-up ${((now - levelStart) / 1000).toFixed(0)}/${warmupS} s   ${done} sagas, ${activePoller.inFlight} in flight`);
      } else if (now < measureEnd) {
        const inWindow = samples.filter((sample) => sample.observedPerf >= measureStart).length;
        const rate = inWindow / ((now - measureStart) / 1000);
        progress.update(
          `  ${label}  measuring ${((now - measureStart) / 1000).toFixed(0)}/${durationS} s   ${inWindow} sagas (${rate.toFixed(0)}/s)` +
            `, ${activePoller.inFlight} in flight, ${startErrors} start errors`,
        );
      } else {
        progress.update(`  ${label}  draining: ${activePoller.inFlight} in flight`);
      }
    }, 500);

    let vacuumsDuringLevel = 0;
    const vacuumLoop = (async () => {
      if (!measure || options.vacuumEveryS <= 0) return;
      while (!stopping) {
        await sleep(options.vacuumEveryS * 1000);
        if (stopping) break;
        await vacuumClient.query(`VACUUM ${SAGA_TABLES.join(", ")}`);
        vacuumsDuringLevel += 1;
      }
    })();
    const running = Array.from({ length: clients }, (_, index) => client(index));
    await sleep(Math.max(0, measureStart - performance.now()));
    const before = measure ? await takeSnapshots() : null;
    const windowStartWall = new Date();
    await sleep(Math.max(0, measureEnd - performance.now()));
    const after = measure ? await takeSnapshots() : null;
    const windowEndWall = new Date();
    stopping = true;
    const drainTimer = setTimeout(() => activePoller.abandonAll(), DRAIN_TIMEOUT_MS);
    await Promise.all(running);
    await vacuumLoop;
    clearTimeout(drainTimer);
    clearInterval(ticker);
    progress.done();
    if (!measure || !before || !after) return null;

    const seconds = (measureEnd - measureStart) / 1000;
    const inWindow = samples.filter((sample) => sample.observedPerf >= measureStart && sample.observedPerf < measureEnd);
    const completed = inWindow.filter((sample) => sample.status === "completed").length;
    const startedInWindow = samples.filter((sample) => sample.startPerf >= measureStart && sample.startPerf < measureEnd);
    const finishedInWindow = startedInWindow.filter((sample) => sample.status === "completed");
    const notCompleted: Record<string, number> = {};
    for (const sample of samples) if (sample.status !== "completed") notCompleted[sample.status] = (notCompleted[sample.status] ?? 0) + 1;

    const cpu = cpuBetween(before.cpu, after.cpu);
    const benchCpu = process.cpuUsage(before.benchCpu);
    cpu.percentByGroup.bench = round(((benchCpu.user + benchCpu.system) / 1000 / (seconds * 1000)) * 100) ?? 0;
    const cpuMsPerSaga: Record<string, number> = {};
    for (const [group, percent] of Object.entries(cpu.percentByGroup)) {
      if (completed > 0) cpuMsPerSaga[group] = round(((percent / 100) * seconds * 1000) / completed, 2) ?? 0;
    }
    const pgDelta = diffCounts(before.pg, after.pg);
    // The poller's own queries are transactions too: take them out.
    pgDelta.xactCommit -= after.polls - before.polls;
    const redisDelta = diffCounts(before.redis.calls, after.redis.calls);
    const redisTotal = after.redis.totalCommands - before.redis.totalCommands;

    return {
      clients,
      measuredSeconds: round(seconds, 2) ?? seconds,
      completed,
      sagasPerSecond: round(completed / seconds) ?? 0,
      latencyMs: summarize(finishedInWindow.map((sample) => (sample.finishedAtMs ?? 0) - sample.startWallMs)),
      observedLatencyMs: summarize(finishedInWindow.map((sample) => sample.observedPerf - sample.startPerf)),
      startCallMs: summarize(startedInWindow.map((sample) => sample.startedPerf - sample.startPerf)),
      startErrors,
      startErrorExamples,
      notCompleted,
      cpu: { ...cpu, cpuMsPerSaga },
      perSaga: {
        workerStatements: perUnit(
          { total: after.workerStatements.total - before.workerStatements.total, ...diffCounts(before.workerStatements.byKind, after.workerStatements.byKind) },
          completed,
        ),
        benchStatements: perUnit(
          { total: after.benchStatements.total - before.benchStatements.total, ...diffCounts(before.benchStatements.byKind, after.benchStatements.byKind) },
          completed,
        ),
        pg: perUnit(pgDelta as unknown as Record<string, number>, completed),
        redisCommands: perUnit({ total: redisTotal, ...redisDelta }, completed),
      },
      polls: after.polls - before.polls,
      vacuumsDuringLevel,
      rawStatementTotals: {
        workers: [before.workerStatements.total, after.workerStatements.total],
        bench: [before.benchStatements.total, after.benchStatements.total],
      },
      breakdownMs: await breakdown(admin, windowStartWall, windowEndWall),
    };
  }

  async function takeSnapshots(): Promise<Snapshots> {
    const roots = Object.fromEntries(workers.map((worker) => [worker.name, worker.pid]));
    const [pgNow, redisNow] = await Promise.all([pgCounters(admin), redisCounters(redis)]);
    return {
      cpu: cpuSnapshot({
        roots,
        databaseName,
        ownClientPorts: {
          "postgres (bench's polling)": [clientPort(admin), clientPort(pollerClient)],
          "postgres (bench's vacuum)": [clientPort(vacuumClient)],
        },
      }),
      pg: pgNow,
      redis: redisNow,
      workerStatements: statementCounts(counterDir, "worker-"),
      benchStatements: benchStatements(),
      polls: activePoller.polls,
      benchCpu: process.cpuUsage(),
    };
  }

  const results: LevelResult[] = [];
  if (options.primeS > 0) {
    step(`Priming for ${options.primeS} s at C=${options.levels[0]} (not measured)`);
    await runLevel(options.levels[0] as number, options.primeS, 0, false);
  }
  step("Measuring");
  for (const clients of options.levels) {
    if (options.vacuumBetweenLevels) {
      const started = performance.now();
      await vacuumClient.query(`VACUUM (ANALYZE) ${SAGA_TABLES.join(", ")}`);
      console.log(`  (VACUUM ANALYZE before C=${clients}: ${fmt(performance.now() - started)} ms)`);
    }
    const result = await runLevel(clients, options.warmupS, options.durationS, true);
    if (!result) continue;
    results.push(result);
    const failures = Object.entries(result.notCompleted).map(([status, count]) => `${count} ${status}`);
    console.log(
      `  C=${String(clients).padStart(3)}  ${fmt(result.sagasPerSecond)} sagas/s   latency p50 ${fmt(result.latencyMs.p50)} ms, ` +
        `p95 ${fmt(result.latencyMs.p95)} ms, p99 ${fmt(result.latencyMs.p99)} ms   ` +
        `machine ${fmt(result.cpu.machineBusyPercent)} % busy` +
        (result.startErrors > 0 ? `   ${result.startErrors} start errors` : "") +
        (failures.length > 0 ? `   not completed: ${failures.join(", ")}` : ""),
    );
  }
  await activePoller.stop();

  step("Checking invariants");
  const invariants = await checkInvariants(admin, { startedSagaIds: startedSagaIds.size, stock: options.stock });
  const invariantsHold = printInvariants(invariants);

  step("Stopping the workers");
  stoppingWorkers();
  const stops = await Promise.all(workers.map((worker) => worker.stop({ timeoutMs: 35_000 })));
  for (const [index, stop] of stops.entries()) {
    const worker = workers[index] as ManagedChild;
    console.log(`  ${worker.name}: ${stop.forced ? "killed after the shutdown timeout" : `exited (${stop.signal ?? `code ${stop.code}`})`}`);
  }
  await closeQueues();
  await closeProducerConnection();
  await disconnectDb();
  await Promise.all([admin.end(), pollerClient.end(), vacuumClient.end()]);
  redis.disconnect();
  // Redis keeps everything in memory (noeviction, shared with others): drop the run's jobs and events.
  await flushBenchRedis(options.redisUrl);

  printSummary(results);
  const file = writeResults("saga", startedAt, {
    benchmark: "saga",
    runId,
    label: options.label,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: machineInfo(),
    git: gitInfo(),
    postgres: pgSettings,
    settings: {
      ...options,
      workerEnv: options.workerEnv,
      startPath: `startCheckout (as the web process) → sagaEngine.start → BullMQ → ${workerCommand.display}`,
      priceCents: PRICE_CENTS,
      customers: customersNeeded,
      latencyDefinition: "start call (wall clock) → saga_instances.finished_at; observed = until the bench's poller saw it",
    },
    levels: results,
    invariants,
    ok: invariantsHold,
  });
  console.log(`\nResults: ${path.relative(REPO_ROOT, file)} (and bench/results/latest-saga.json)`);
  if (!invariantsHold) {
    console.error("✗ An invariant is broken (see above).");
    process.exitCode = 1;
  }
}

/** Medians and p95s of the gaps between what PostgreSQL recorded for the sagas started in the window. */
async function breakdown(client: pg.Client, from: Date, to: Date): Promise<Record<string, { p50: number | null; p95: number | null }>> {
  const { rows } = await client.query<Record<string, number | null>>(
    `WITH s AS (
       SELECT id, created_at FROM saga_instances WHERE created_at >= $1 AND created_at < $2 AND status = 'completed'),
     x AS (
       SELECT s.created_at,
              max(e.started_at) FILTER (WHERE e.step = $3) AS a_s, max(e.finished_at) FILTER (WHERE e.step = $3) AS a_f,
              max(e.started_at) FILTER (WHERE e.step = $4) AS b_s, max(e.finished_at) FILTER (WHERE e.step = $4) AS b_f,
              max(e.started_at) FILTER (WHERE e.step = $5) AS c_s, max(e.finished_at) FILTER (WHERE e.step = $5) AS c_f
         FROM s JOIN saga_step_executions e ON e.saga_id = s.id AND e.phase = 'action'
        GROUP BY s.id, s.created_at),
     g AS (
       SELECT extract(epoch FROM a_s - created_at) * 1000 AS g1, extract(epoch FROM a_f - a_s) * 1000 AS g2,
              extract(epoch FROM b_s - a_f) * 1000 AS g3, extract(epoch FROM b_f - b_s) * 1000 AS g4,
              extract(epoch FROM c_s - b_f) * 1000 AS g5, extract(epoch FROM c_f - c_s) * 1000 AS g6 FROM x)
     SELECT ${[1, 2, 3, 4, 5, 6]
       .map((n) => `percentile_cont(0.5) WITHIN GROUP (ORDER BY g${n}) AS p50_${n}, percentile_cont(0.95) WITHIN GROUP (ORDER BY g${n}) AS p95_${n}`)
       .join(", ")}
       FROM g`,
    [from, to, ...STEPS],
  );
  const row = rows[0] ?? {};
  const names = [
    "start tx → reserve-stock attempt recorded",
    "reserve-stock: attempt recorded → its transaction began",
    "reserve-stock transaction began → debit-wallet attempt recorded",
    "debit-wallet: attempt recorded → its transaction began",
    "debit-wallet transaction began → complete-order attempt recorded",
    "complete-order: attempt recorded → its transaction began",
  ];
  return Object.fromEntries(
    names.map((name, index) => [
      name,
      { p50: round(numberOrNull(row[`p50_${index + 1}`])), p95: round(numberOrNull(row[`p95_${index + 1}`])) },
    ]),
  );
}

function numberOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

async function checkInvariants(client: pg.Client, expected: { startedSagaIds: number; stock: number }): Promise<InvariantResult[]> {
  const one = async <T extends Record<string, unknown>>(sql: string, params: unknown[] = []) =>
    ((await client.query<T>(sql, params)).rows[0] ?? {}) as T;
  const results: InvariantResult[] = [];
  const check = (name: string, ok: boolean, detail: string) => results.push({ name, ok, detail });

  const statuses = await client.query<{ status: string; count: string }>(
    "SELECT status::text, count(*) FROM saga_instances GROUP BY status ORDER BY status",
  );
  const byStatus = Object.fromEntries(statuses.rows.map((row) => [row.status, Number(row.count)]));
  const total = Object.values(byStatus).reduce((sum, count) => sum + count, 0);
  const active = (byStatus.running ?? 0) + (byStatus.compensating ?? 0);
  check("no saga left running", active === 0, `${active} running or compensating of ${total}`);
  check("every saga completed", (byStatus.completed ?? 0) === total, JSON.stringify(byStatus));
  check("the database has every saga the bench started", total === expected.startedSagaIds, `${total} in PostgreSQL, ${expected.startedSagaIds} started`);

  const orders = await one<{ orders: string; units: string; total: string; checkouts: string; outbox: string; sold: string; held: string }>(
    `SELECT (SELECT count(*) FROM orders) AS orders, (SELECT coalesce(sum(quantity), 0) FROM orders) AS units,
            (SELECT coalesce(sum(total_cents), 0) FROM orders) AS total, (SELECT count(*) FROM checkouts) AS checkouts,
            (SELECT count(*) FROM outbox_messages) AS outbox,
            (SELECT count(*) FROM reservations WHERE status = 'sold') AS sold,
            (SELECT count(*) FROM reservations WHERE status = 'held') AS held`,
  );
  check("one order per completed saga", Number(orders.orders) === (byStatus.completed ?? 0), `${orders.orders} orders`);
  check("one checkout per saga", Number(orders.checkouts) === total, `${orders.checkouts} checkouts`);
  check("one PurchaseCompleted in the outbox per order", Number(orders.outbox) === Number(orders.orders), `${orders.outbox} outbox messages`);
  check("every reservation sold, none held", Number(orders.sold) === Number(orders.orders) && Number(orders.held) === 0, `${orders.sold} sold, ${orders.held} held`);

  const stock = await one<{ bad: string; reserved: string; sold_units: string }>(
    `SELECT count(*) FILTER (WHERE i.on_hand <> $1::int - coalesce(o.units, 0)) AS bad, coalesce(sum(i.reserved), 0) AS reserved,
            coalesce(sum($1::int - i.on_hand), 0) AS sold_units
       FROM inventory i LEFT JOIN (SELECT product_id, sum(quantity) AS units FROM orders GROUP BY product_id) o USING (product_id)`,
    [expected.stock],
  );
  check(
    "stock: on_hand = initial − units ordered, nothing reserved",
    Number(stock.bad) === 0 && Number(stock.reserved) === 0 && Number(stock.sold_units) === Number(orders.units),
    `${stock.bad} products off, ${stock.reserved} reserved, ${stock.sold_units} units left stock, ${orders.units} ordered`,
  );

  const money = await one<{ bad_wallets: string; debits: string; refunds: string }>(
    `SELECT (SELECT count(*) FROM wallets w WHERE w.balance_cents <>
               (SELECT coalesce(sum(amount_cents), 0) FROM wallet_entries e WHERE e.wallet_id = w.id)) AS bad_wallets,
            (SELECT coalesce(-sum(amount_cents), 0) FROM wallet_entries WHERE kind = 'debit') AS debits,
            (SELECT coalesce(sum(amount_cents), 0) FROM wallet_entries WHERE kind = 'refund') AS refunds`,
  );
  check("every wallet balance = the sum of its ledger", Number(money.bad_wallets) === 0, `${money.bad_wallets} wallets off`);
  check(
    "money: debits − refunds = sum of orders",
    Number(money.debits) - Number(money.refunds) === Number(orders.total),
    `${money.debits} − ${money.refunds} vs ${orders.total} cents`,
  );
  return results;
}

/** Round trips to Redis: BullMQ sends almost everything as a Lua script, plus its blocking fetch. */
function redisCalls(commands: Record<string, number>): number {
  return ["evalsha", "eval", "bzpopmin", "brpoplpush", "blmove"].reduce((sum, name) => sum + (commands[name] ?? 0), 0);
}

function printSummary(results: readonly LevelResult[]): void {
  if (results.length === 0) return;
  console.log("\nThroughput and latency (latency: start call → saga finished; ms)");
  console.log(
    table(
      ["clients", "sagas/s", "p50", "p95", "p99", "max", "obs p95", "start p95", "errors", "machine%"],
      results.map((result) => [
        String(result.clients),
        fmt(result.sagasPerSecond),
        fmt(result.latencyMs.p50),
        fmt(result.latencyMs.p95),
        fmt(result.latencyMs.p99),
        fmt(result.latencyMs.max),
        fmt(result.observedLatencyMs.p95),
        fmt(result.startCallMs.p95),
        String(result.startErrors + Object.values(result.notCompleted).reduce((sum, count) => sum + count, 0)),
        fmt(result.cpu.machineBusyPercent),
      ]),
    ),
  );
  const groups = Object.keys(results[0]?.cpu.percentByGroup ?? {}).filter((group) =>
    results.some((result) => (result.cpu.percentByGroup[group] ?? 0) >= 0.5),
  );
  console.log("\nCPU, % of one core (and CPU ms per completed saga)");
  console.log(
    table(
      ["clients", ...groups],
      results.map((result) => [
        String(result.clients),
        ...groups.map((group) => `${fmt(result.cpu.percentByGroup[group], 0)} (${fmt(result.cpu.cpuMsPerSaga[group], 2)})`),
      ]),
    ),
  );
  console.log(
    "\nWork per completed saga (PostgreSQL and Redis counters are server-wide; Redis calls = scripts (EVALSHA) and" +
      " blocking fetches sent by clients, Redis cmds = every command including those run inside scripts)",
  );
  console.log(
    table(
      ["clients", "stmts worker", "stmts start", "PG xacts", "rows ins", "rows upd", "WAL kB", "WAL fsyncs", "Redis calls", "Redis cmds"],
      results.map((result) => [
        String(result.clients),
        fmt(result.perSaga.workerStatements.total, 1),
        fmt(result.perSaga.benchStatements.total, 1),
        fmt(result.perSaga.pg.xactCommit, 1),
        fmt(result.perSaga.pg.tupInserted, 1),
        fmt(result.perSaga.pg.tupUpdated, 1),
        fmt((result.perSaga.pg.walBytes ?? 0) / 1024, 1),
        fmt(result.perSaga.pg.walSync, 2),
        fmt(redisCalls(result.perSaga.redisCommands), 1),
        fmt(result.perSaga.redisCommands.total, 1),
      ]),
    ),
  );
  console.log("\nWhere a saga's time goes (p50 / p95 ms, from the timestamps PostgreSQL recorded)");
  const names = Object.keys(results[0]?.breakdownMs ?? {});
  console.log(
    table(
      ["gap", ...results.map((result) => `C=${result.clients}`)],
      names.map((name) => [
        name,
        ...results.map((result) => `${fmt(result.breakdownMs[name]?.p50)} / ${fmt(result.breakdownMs[name]?.p95)}`),
      ]),
    ),
  );
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
  console.error(`\n✗ Saga benchmark failed: ${errorMessage(error)}`);
  if (!(error instanceof BenchConfigError) && error instanceof Error && error.stack) console.error(error.stack);
  process.exit(1);
  },
);
