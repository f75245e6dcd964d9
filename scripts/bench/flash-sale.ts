/**
 * `npm run bench:flash-sale` — Cyber Monday at the door: N signed-in shoppers press "buy" on the Classic Unicorn (5 in
 * stock) at the same moment, over HTTP, against the production build (`next start`) and the checkout worker(s).
 *
 * Resets its own database to the Cyber Monday state (resetShop), adds N shoppers whose wallets can afford a unicorn
 * (one bulk insert) and seals each a session cookie with the server's secret (no sign-ins), builds the app into
 * `.next-bench` in a copy of the sources outside the repository (or reuses that build with --no-build), starts the web
 * server (`next start`) and the worker(s) (the `worker:checkout` npm script) from that copy, then fires every `checkout.start` at once and polls `checkout.status` for each checkout
 * until it is final. Prints what happened, how fast, and an invariant check; exits non-zero if an invariant breaks.
 *
 *   npm run bench:flash-sale -- --shoppers 2000
 *   npm run bench:flash-sale -- --no-build          (reuse the last build)
 *   npm run bench:flash-sale -- --help
 */
import { randomUUID } from "node:crypto";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import type pg from "pg";
import { BENCH_DIST_DIR, checkReusableCopy, DEFAULT_APP_DIR, syncAppCopy } from "./lib/app-mirror";
import {
  applyToThisProcess,
  BenchConfigError,
  checkoutWorkerCommand,
  childEnv,
  DEFAULT_BENCH_DATABASE_URL,
  DEFAULT_BENCH_PORT,
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
  flushBenchRedis,
  insertCustomersWithWallets,
  migrateBenchDatabase,
  postgresSettings,
} from "./lib/bench-db";
import {
  exitIfAnyDies,
  installCleanup,
  runToCompletion,
  startChild,
  type ManagedChild,
} from "./lib/children";
import { createAgent, request, trpcData, trpcError, trpcQueryPath, type HttpResult } from "./lib/http-client";
import { cpuBetween, cpuSnapshot } from "./lib/proc-cpu";
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
} from "./lib/report";

const HELP = `Usage: npm run bench:flash-sale -- [options]

  --shoppers N          shoppers pressing "buy" at once, default 2000
  --no-build            reuse the last build in <app-dir>/${BENCH_DIST_DIR} instead of building
  --app-dir DIR         where the sources are copied and built, default ${DEFAULT_APP_DIR}
  --workers N           checkout worker processes, default 1
  --concurrency N       CHECKOUT_WORKER_CONCURRENCY of each worker, default 32 (the app's default)
  --worker-pool N       DATABASE_POOL_SIZE of each worker, default 5 (the app's default)
  --web-pool N          DATABASE_POOL_SIZE of each web server, default 5 (the app's default)
  --web-processes N     web servers (next start) on consecutive ports; shoppers are spread over them as a load
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

const PRODUCT_SLUG = "classic-unicorn";
const EXPECTED_STOCK = 5;
const EXPECTED_PRICE_CENTS = 12_000;
const SHOPPER_WALLET_CENTS = 20_000; // $200.00: one Classic Unicorn at $120.00, not two
const SESSION_TTL_SECONDS = 60 * 60 * 24 * 7; // as server/api/session.ts
const REQUEST_TIMEOUT_MS = 60_000;
const TERMINAL = new Set(["completed", "compensated", "needs_attention"]);

type Options = {
  shoppers: number;
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

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      shoppers: { type: "string", default: "2000" },
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
    shoppers: int("shoppers", values.shoppers, 1, 100_000),
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

type StartAnswer = "started" | "sold-out" | "other";
type Final = "completed" | "compensated" | "needs_attention" | "sold-out" | "error" | "unfinished";

type Shopper = {
  customerId: string;
  cookie: string;
  answer?: StartAnswer;
  startStatus?: number;
  startAnsweredMs?: number;
  checkoutId?: string;
  final?: Final;
  finalMs?: number;
  failureReason?: string;
  polls: number;
  error?: string;
};

async function main(): Promise<void> {
  const options = parseOptions();
  const { startedAt, databaseName, runId, logDir } = await beginBenchRun("flash-sale", options);
  installCleanup({ timeLimitMs: (600 + options.timeoutS + 180) * 1000 });

  const sessionSecret = newSessionSecret();
  const sharedEnv: AppEnv = {
    NODE_ENV: "production",
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: options.redisUrl,
    SESSION_SECRET: sessionSecret,
    APP_URL: `http://127.0.0.1:${options.port}`,
    SHOP_MODE: "normal",
  };
  applyToThisProcess({ ...sharedEnv, LOG_LEVEL: "warn", DATABASE_POOL_SIZE: "2" });

  console.log(`Flash-sale benchmark — ${runId}`);
  console.log(
    `  ${options.shoppers} shoppers, ${EXPECTED_STOCK} Classic Unicorns; ${options.workers} worker(s) × concurrency ${options.concurrency}, ` +
      `pools: web ${options.webPool}, worker ${options.workerPool}; ${options.connections} + ${options.pollConnections} client connections; ` +
      `status poll every ${options.pollMs} ms`,
  );
  console.log(`  logs: ${path.relative(REPO_ROOT, logDir)}/`);
  const ports = Array.from({ length: options.webProcesses }, (_, index) => options.port + index);
  for (const port of ports) await assertPortFree(port);

  // ── Build ───────────────────────────────────────────────────────────────────────────────────────────────────────
  const buildEnv = childEnv({ ...sharedEnv, NEXT_DIST_DIR: BENCH_DIST_DIR, LOG_LEVEL: "warn" });
  let buildSeconds: number | null = null;
  if (options.build) {
    step(`Copying the sources to ${options.appDir} and building the app into ${BENCH_DIST_DIR} (next build)`);
    syncAppCopy(options.appDir);
    const progress = createProgress({ plainEveryMs: 10_000 });
    const buildStart = performance.now();
    const ticker = setInterval(() => progress.update(`  building… ${((performance.now() - buildStart) / 1000).toFixed(0)} s`), 500);
    try {
      await runToCompletion({
        name: "next build",
        command: path.join(options.appDir, "node_modules", ".bin", "next"),
        args: ["build"],
        cwd: options.appDir,
        env: buildEnv,
        logFile: path.join(logDir, "build.log"),
        timeoutMs: 600_000,
      });
    } finally {
      clearInterval(ticker);
    }
    buildSeconds = round((performance.now() - buildStart) / 1000);
    progress.done(`  built in ${buildSeconds} s`);
  } else {
    checkReusableCopy(options.appDir);
    step(`Reusing the build in ${path.join(options.appDir, BENCH_DIST_DIR)}`);
  }

  // ── Data ────────────────────────────────────────────────────────────────────────────────────────────────────────
  step(`Resetting ${databaseName} to the Cyber Monday state`);
  await migrateBenchDatabase(sharedEnv, logDir, options.appDir);
  const { resetShop } = await import("@/prisma/seed/seed-shop");
  const { disconnectDb } = await import("@/server/db");
  await resetShop((message) => console.log(`  ✓ ${message}`));
  await disconnectDb();
  await flushBenchRedis(options.redisUrl);
  const admin = await benchClient(options.databaseUrl);
  const product = (
    await admin.query<{ id: string; sale_price_cents: number; on_hand: number; reserved: number }>(
      `SELECT p.id::text, p.sale_price_cents, i.on_hand, i.reserved FROM products p JOIN inventory i ON i.product_id = p.id WHERE p.slug = $1`,
      [PRODUCT_SLUG],
    )
  ).rows[0];
  if (!product || product.on_hand !== EXPECTED_STOCK || product.sale_price_cents !== EXPECTED_PRICE_CENTS) {
    throw new Error(`resetShop did not leave ${EXPECTED_STOCK} Classic Unicorns at $120.00: ${JSON.stringify(product)}`);
  }
  const otherStockBefore = await otherProductsStock(admin);
  const pgSettings = await postgresSettings(admin);
  let phaseStart = performance.now();
  const customerIds = await insertCustomersWithWallets(admin, {
    count: options.shoppers,
    balanceCents: SHOPPER_WALLET_CENTS,
    emailPrefix: "flash-shopper",
  });
  await admin.query("ANALYZE");
  console.log(`  ✓ ${customerIds.length} shoppers with $200.00 wallets (${fmt(performance.now() - phaseStart)} ms)`);
  phaseStart = performance.now();
  const { sealData } = await import("iron-session");
  const shoppers: Shopper[] = await Promise.all(
    customerIds.map(async (customerId) => ({
      customerId,
      cookie: `unicorn_session=${await sealData({ customerId }, { password: sessionSecret, ttl: SESSION_TTL_SECONDS })}`,
      polls: 0,
    })),
  );
  console.log(`  ✓ ${shoppers.length} session cookies sealed (${fmt(performance.now() - phaseStart)} ms)`);

  // ── Processes ───────────────────────────────────────────────────────────────────────────────────────────────────
  step(`Starting ${ports.length} web server(s) (next start on 127.0.0.1:${ports.join(", ")}) and ${options.workers} checkout worker(s)`);
  const webs = ports.map((port, index) =>
    startChild({
      name: ports.length === 1 ? "web" : `web-${index + 1}`,
      command: path.join(options.appDir, "node_modules", ".bin", "next"),
      args: ["start", "-H", "127.0.0.1", "-p", String(port)],
      cwd: options.appDir,
      env: childEnv({
        ...sharedEnv,
        NEXT_DIST_DIR: BENCH_DIST_DIR,
        LOG_LEVEL: "info",
        DATABASE_POOL_SIZE: String(options.webPool),
        ...options.webEnv,
      }),
      logFile: path.join(logDir, ports.length === 1 ? "web.log" : `web-${index + 1}.log`),
    }),
  );
  const workerCommand = checkoutWorkerCommand(options.appDir);
  const workers: ManagedChild[] = [];
  for (let index = 1; index <= options.workers; index += 1) {
    workers.push(
      startChild({
        name: `worker-${index}`,
        command: workerCommand.command,
        args: workerCommand.args,
        cwd: options.appDir,
        env: childEnv({
          ...sharedEnv,
          LOG_LEVEL: "info",
          DATABASE_POOL_SIZE: String(options.workerPool),
          CHECKOUT_WORKER_CONCURRENCY: String(options.concurrency),
          ...options.workerEnv,
        }),
        logFile: path.join(logDir, `worker-${index}.log`),
      }),
    );
  }
  await Promise.all([
    ...webs.map((web) => web.waitForOutput(/Ready in/, 60_000)),
    ...workers.map((worker) => worker.waitForOutput(/"msg":"Worker process started"/, 60_000)),
  ]);
  const stoppingOnPurpose = exitIfAnyDies([...webs, ...workers]);
  const agent = createAgent(options.connections);
  const pollAgent = createAgent(options.pollConnections);
  for (const port of ports) await warmUp(agent, port, shoppers[0] as Shopper);
  console.log(`  ready: ${[...webs, ...workers].map((child) => `${child.name} pid ${child.pid}`).join(", ")} (warmed up)`);

  // ── The sale ────────────────────────────────────────────────────────────────────────────────────────────────────
  step(`${options.shoppers} shoppers press "buy" at once`);
  const roots = Object.fromEntries([...webs, ...workers].map((child) => [child.name, child.pid]));
  const cpuBefore = cpuSnapshot({ roots, databaseName });
  const benchCpuBefore = process.cpuUsage();
  const httpErrors: Record<string, number> = {};
  const countHttpError = (kind: string) => (httpErrors[kind] = (httpErrors[kind] ?? 0) + 1);
  let requests = 0;
  const saleStartWall = new Date();
  const t0 = performance.now();
  const deadline = t0 + options.timeoutS * 1000;

  const buy = async (shopper: Shopper, index: number) => {
    const port = ports[index % ports.length] as number; // a shopper stays on one server, as with sticky sessions
    requests += 1;
    const started = await request({
      agent,
      port,
      method: "POST",
      path: "/api/trpc/checkout.start",
      cookie: shopper.cookie,
      body: { json: { productSlug: PRODUCT_SLUG, quantity: 1, idempotencyKey: randomUUID() } },
      timeoutMs: REQUEST_TIMEOUT_MS,
    });
    shopper.startAnsweredMs = performance.now() - t0;
    shopper.startStatus = started.status;
    const checkoutId = started.status === 200 && "body" in started ? trpcData<{ checkoutId: string }>(started.body)?.checkoutId : undefined;
    if (checkoutId) {
      shopper.answer = "started";
      shopper.checkoutId = checkoutId;
    } else {
      const error = "body" in started ? trpcError(started.body) : undefined;
      if (started.status === 409 && error?.domainCode === "OUT_OF_STOCK") {
        shopper.answer = "sold-out";
        shopper.final = "sold-out";
        shopper.finalMs = shopper.startAnsweredMs;
        return;
      }
      shopper.answer = "other";
      shopper.final = "error";
      shopper.finalMs = shopper.startAnsweredMs;
      shopper.error = describeFailure(started);
      countHttpError(`start: ${started.status === 0 ? "no response" : `HTTP ${started.status}`}`);
      return;
    }
    while (performance.now() < deadline) {
      await sleep(options.pollMs);
      requests += 1;
      shopper.polls += 1;
      const polled = await request({
        agent: pollAgent,
        port,
        method: "GET",
        path: trpcQueryPath("checkout.status", { checkoutId }),
        cookie: shopper.cookie,
        timeoutMs: REQUEST_TIMEOUT_MS,
      });
      const status = polled.status === 200 && "body" in polled ? trpcData<{ status: string; failureReason?: string }>(polled.body) : undefined;
      if (!status) {
        countHttpError(`status: ${polled.status === 0 ? "no response" : `HTTP ${polled.status}`}`);
        shopper.error = describeFailure(polled);
        continue; // a shopper whose page failed to refresh tries again
      }
      if (TERMINAL.has(status.status)) {
        shopper.final = status.status as Final;
        shopper.finalMs = performance.now() - t0;
        shopper.failureReason = status.failureReason;
        return;
      }
    }
    shopper.final = "unfinished";
  };

  const progress = createProgress();
  const ticker = setInterval(() => {
    const answered = shoppers.filter((shopper) => shopper.answer).length;
    const started = shoppers.filter((shopper) => shopper.answer === "started").length;
    const soldOut = shoppers.filter((shopper) => shopper.answer === "sold-out").length;
    const final = shoppers.filter((shopper) => shopper.final).length;
    const sold = shoppers.filter((shopper) => shopper.final === "completed").length;
    const errors = Object.values(httpErrors).reduce((sum, count) => sum + count, 0);
    progress.update(
      `  ${((performance.now() - t0) / 1000).toFixed(1)} s   answered ${answered}/${shoppers.length} (started ${started}, sold out ${soldOut})` +
        `   final ${final}/${shoppers.length}   sold ${sold}   HTTP errors ${errors}`,
    );
  }, 250);
  await Promise.all(shoppers.map(buy));
  clearInterval(ticker);
  const saleSeconds = (performance.now() - t0) / 1000;
  const cpu = cpuBetween(cpuBefore, cpuSnapshot({ roots, databaseName }));
  const benchCpu = process.cpuUsage(benchCpuBefore);
  cpu.percentByGroup.bench = round(((benchCpu.user + benchCpu.system) / 1000 / (saleSeconds * 1000)) * 100) ?? 0;
  progress.done(`  done in ${saleSeconds.toFixed(1)} s`);
  agent.destroy();
  pollAgent.destroy();

  // ── Figures ─────────────────────────────────────────────────────────────────────────────────────────────────────
  const count = (predicate: (shopper: Shopper) => boolean) => shoppers.filter(predicate).length;
  const finals = shoppers.filter((shopper) => shopper.finalMs !== undefined && shopper.final !== "unfinished");
  const timeToFinal = summarize(finals.map((shopper) => shopper.finalMs as number));
  const startedShoppers = shoppers.filter((shopper) => shopper.answer === "started");
  const soldOutAt = (
    await admin.query<{ last: Date | null }>(
      `SELECT max(s.finished_at) AS last FROM saga_instances s WHERE s.status = 'completed'`,
    )
  ).rows[0]?.last;
  const errorExamples = [...new Set(shoppers.flatMap((shopper) => (shopper.error ? [shopper.error] : [])))].slice(0, 5);
  const figures = {
    shoppers: shoppers.length,
    sold: count((shopper) => shopper.final === "completed"),
    answered: {
      total: count((shopper) => shopper.answer !== undefined),
      started: startedShoppers.length,
      turnedAwaySoldOutAtStart: count((shopper) => shopper.answer === "sold-out"),
      other: count((shopper) => shopper.answer === "other"),
    },
    startedCheckoutsEndedAs: {
      completed: count((shopper) => shopper.answer === "started" && shopper.final === "completed"),
      compensated: count((shopper) => shopper.answer === "started" && shopper.final === "compensated"),
      needsAttention: count((shopper) => shopper.answer === "started" && shopper.final === "needs_attention"),
      unfinished: count((shopper) => shopper.answer === "started" && shopper.final === "unfinished"),
    },
    compensationReasons: tally(startedShoppers.flatMap((shopper) => (shopper.failureReason ? [shopper.failureReason] : []))),
    everyAttemptFinalAfterMs: finals.length === shoppers.length ? (timeToFinal.max ?? null) : null,
    allStartsAnsweredAfterMs: round(Math.max(...shoppers.map((shopper) => shopper.startAnsweredMs ?? Number.NaN))),
    lastUnitSoldAfterMs: soldOutAt ? soldOutAt.getTime() - saleStartWall.getTime() : null,
    timeToFinalMs: timeToFinal,
    timeToFinalOfStartedMs: summarize(startedShoppers.filter((shopper) => shopper.final !== "unfinished").map((shopper) => shopper.finalMs as number)),
    startAnsweredMs: summarize(shoppers.map((shopper) => shopper.startAnsweredMs ?? Number.NaN).filter(Number.isFinite)),
    httpErrors: { total: Object.values(httpErrors).reduce((sum, value) => sum + value, 0), byKind: httpErrors },
    httpErrorExamples: errorExamples,
    requests,
    statusPolls: shoppers.reduce((sum, shopper) => sum + shopper.polls, 0),
    requestsPerSecond: round(requests / saleSeconds),
    saleSeconds: round(saleSeconds, 2),
    cpu,
  };
  printFigures(figures);

  // ── Invariants ──────────────────────────────────────────────────────────────────────────────────────────────────
  step("Checking invariants");
  const invariants = await checkInvariants(admin, {
    productId: product.id,
    otherStockBefore,
    buyers: shoppers.filter((shopper) => shopper.final === "completed").map((shopper) => shopper.customerId),
    started: startedShoppers.length,
    unanswered: count((shopper) => shopper.final === undefined || shopper.final === "unfinished"),
  });
  const invariantsHold = printInvariants(invariants);

  step("Stopping the web server and the workers");
  stoppingOnPurpose();
  const stops = await Promise.all([...webs, ...workers].map(async (child) => ({ child, stop: await child.stop({ timeoutMs: 35_000 }) })));
  for (const { child, stop } of stops) {
    console.log(`  ${child.name}: ${stop.forced ? "killed after the shutdown timeout" : `exited (${stop.signal ?? `code ${stop.code}`})`}`);
  }
  await admin.end();
  // Redis keeps everything in memory (noeviction, shared with others): drop the run's jobs and events.
  await flushBenchRedis(options.redisUrl);

  const file = writeResults("flash-sale", startedAt, {
    benchmark: "flash-sale",
    runId,
    label: options.label,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: machineInfo(),
    git: gitInfo(),
    postgres: pgSettings,
    settings: { ...options, workerCommand: workerCommand.display, buildSeconds, product: PRODUCT_SLUG, stock: EXPECTED_STOCK, walletCents: SHOPPER_WALLET_CENTS },
    figures,
    invariants,
    ok: invariantsHold,
  });
  console.log(`\nResults: ${path.relative(REPO_ROOT, file)} (and bench/results/latest-flash-sale.json)`);
  if (!invariantsHold) {
    console.error("✗ An invariant is broken (see above).");
    process.exitCode = 1;
  }
}

async function assertPortFree(port: number): Promise<void> {
  const agent = createAgent(1);
  const probe = await request({ agent, port, method: "GET", path: "/", timeoutMs: 1_000 });
  agent.destroy();
  if (probe.status !== 0) throw new BenchConfigError(`Something already answers on 127.0.0.1:${port}; stop it or pass --port`);
}

/** The first request to each route loads its code: done before the sale, as on a server that has been up for a while. */
async function warmUp(agent: ReturnType<typeof createAgent>, port: number, shopper: Shopper): Promise<void> {
  for (let round = 0; round < 3; round += 1) {
    const answers = await Promise.all([
      request({ agent, port, method: "GET", path: trpcQueryPath("catalog.list", undefined), timeoutMs: 30_000 }),
      request({
        agent,
        port,
        method: "GET",
        path: trpcQueryPath("checkout.status", { checkoutId: randomUUID() }),
        cookie: shopper.cookie,
        timeoutMs: 30_000,
      }),
      request({ agent, port, method: "GET", path: `/products/${PRODUCT_SLUG}`, cookie: shopper.cookie, timeoutMs: 30_000 }),
    ]);
    const [catalog, status] = answers;
    if (catalog?.status !== 200) throw new Error(`The web server does not answer catalog.list: ${describeFailure(catalog)}`);
    // A random checkout id is nobody's: 404 proves the session cookie was accepted (401 would mean it was not).
    if (status?.status !== 404) throw new Error(`The sealed session cookie was not accepted: ${describeFailure(status)}`);
  }
}

function describeFailure(result: HttpResult | undefined): string {
  if (!result) return "no result";
  if (result.status === 0) return `no response (${"error" in result ? result.error : "?"})`;
  const error = "body" in result ? trpcError(result.body) : undefined;
  return `HTTP ${result.status}${error ? ` ${error.code ?? ""} ${error.domainCode ?? ""}: ${error.message ?? ""}` : ""}`.trim();
}

function tally(values: readonly string[]): Record<string, number> {
  const result: Record<string, number> = {};
  for (const value of values) result[value] = (result[value] ?? 0) + 1;
  return result;
}

async function otherProductsStock(client: pg.Client): Promise<Record<string, number>> {
  const { rows } = await client.query<{ slug: string; on_hand: number; reserved: number }>(
    `SELECT p.slug, i.on_hand, i.reserved FROM products p JOIN inventory i ON i.product_id = p.id WHERE p.slug <> $1 ORDER BY p.slug`,
    [PRODUCT_SLUG],
  );
  return Object.fromEntries(rows.map((row) => [row.slug, row.on_hand * 1_000_000 + row.reserved]));
}

async function checkInvariants(
  client: pg.Client,
  expected: { productId: string; otherStockBefore: Record<string, number>; buyers: string[]; started: number; unanswered: number },
): Promise<InvariantResult[]> {
  const results: InvariantResult[] = [];
  const check = (name: string, ok: boolean, detail: string) => results.push({ name, ok, detail });
  const one = async <T extends Record<string, unknown>>(sql: string, params: unknown[] = []) =>
    ((await client.query<T>(sql, params)).rows[0] ?? {}) as T;

  check("sold exactly 5 (as the shoppers saw it)", expected.buyers.length === EXPECTED_STOCK, `${expected.buyers.length} shoppers were told their order completed`);
  check("every shopper got a final answer in time", expected.unanswered === 0, `${expected.unanswered} without one`);

  const stock = await one<{ on_hand: number; reserved: number }>("SELECT on_hand, reserved FROM inventory WHERE product_id = $1::uuid", [
    expected.productId,
  ]);
  check("Classic Unicorn stock: on_hand 0, reserved 0", stock.on_hand === 0 && stock.reserved === 0, `on_hand ${stock.on_hand}, reserved ${stock.reserved}`);
  const others = await otherProductsStock(client);
  check("other products untouched", JSON.stringify(others) === JSON.stringify(expected.otherStockBefore), `${Object.keys(others).length} products`);

  const orders = await client.query<{ customer_id: string; product_id: string; quantity: number; total_cents: number }>(
    "SELECT customer_id::text, product_id::text, quantity, total_cents FROM orders ORDER BY customer_id",
  );
  const orderCustomers = orders.rows.map((row) => row.customer_id).sort();
  check(
    "5 orders of 1 Classic Unicorn at $120.00, to 5 different shoppers",
    orders.rows.length === EXPECTED_STOCK &&
      orders.rows.every((row) => row.product_id === expected.productId && row.quantity === 1 && row.total_cents === EXPECTED_PRICE_CENTS) &&
      new Set(orderCustomers).size === EXPECTED_STOCK,
    `${orders.rows.length} orders`,
  );
  check(
    "the orders belong to exactly the shoppers told they bought one",
    JSON.stringify(orderCustomers) === JSON.stringify([...expected.buyers].sort()),
    `${orderCustomers.length} order owners vs ${expected.buyers.length} told`,
  );

  const money = await one<{ debits: string; refunds: string; orders: string; bad_wallets: string }>(
    `SELECT (SELECT coalesce(-sum(amount_cents), 0) FROM wallet_entries WHERE kind = 'debit') AS debits,
            (SELECT coalesce(sum(amount_cents), 0) FROM wallet_entries WHERE kind = 'refund') AS refunds,
            (SELECT coalesce(sum(total_cents), 0) FROM orders) AS orders,
            (SELECT count(*) FROM wallets w WHERE w.balance_cents <>
               (SELECT coalesce(sum(amount_cents), 0) FROM wallet_entries e WHERE e.wallet_id = w.id)) AS bad_wallets`,
  );
  check(
    "money: debits − refunds = sum of orders",
    Number(money.debits) - Number(money.refunds) === Number(money.orders),
    `${money.debits} − ${money.refunds} vs ${money.orders} cents`,
  );
  check("every wallet balance = the sum of its ledger", Number(money.bad_wallets) === 0, `${money.bad_wallets} wallets off`);

  const sagas = await client.query<{ status: string; count: string }>("SELECT status::text, count(*) FROM saga_instances GROUP BY status");
  const byStatus = Object.fromEntries(sagas.rows.map((row) => [row.status, Number(row.count)]));
  const active = (byStatus.running ?? 0) + (byStatus.compensating ?? 0);
  check("no saga left running", active === 0, JSON.stringify(byStatus));
  check("no saga needs attention", (byStatus.needs_attention ?? 0) === 0, `${byStatus.needs_attention ?? 0}`);
  const checkouts = await one<{ checkouts: string; held: string; sold: string }>(
    `SELECT (SELECT count(*) FROM checkouts) AS checkouts, (SELECT count(*) FROM reservations WHERE status = 'held') AS held,
            (SELECT count(*) FROM reservations WHERE status = 'sold') AS sold`,
  );
  check(
    "one checkout per started answer; 5 reservations sold, none held",
    Number(checkouts.checkouts) === expected.started && Number(checkouts.sold) === EXPECTED_STOCK && Number(checkouts.held) === 0,
    `${checkouts.checkouts} checkouts for ${expected.started} started; ${checkouts.sold} sold, ${checkouts.held} held`,
  );
  return results;
}

function printFigures(figures: {
  shoppers: number;
  sold: number;
  answered: { total: number; started: number; turnedAwaySoldOutAtStart: number; other: number };
  startedCheckoutsEndedAs: Record<string, number>;
  compensationReasons: Record<string, number>;
  everyAttemptFinalAfterMs: number | null;
  allStartsAnsweredAfterMs: number | null;
  lastUnitSoldAfterMs: number | null;
  timeToFinalMs: { p50: number | null; p95: number | null; max: number | null };
  timeToFinalOfStartedMs: { p50: number | null; p95: number | null };
  startAnsweredMs: { p50: number | null; p95: number | null };
  httpErrors: { total: number; byKind: Record<string, number> };
  httpErrorExamples: string[];
  requests: number;
  statusPolls: number;
  requestsPerSecond: number | null;
  cpu: { percentByGroup: Record<string, number>; machineBusyPercent: number };
}): void {
  const ended = figures.startedCheckoutsEndedAs;
  console.log("");
  console.log(
    table(
      ["figure", "value"],
      [
        ["sold", `${figures.sold} (must be ${EXPECTED_STOCK})`],
        ["attempts answered", `${figures.answered.total} of ${figures.shoppers}`],
        ["  started a checkout", String(figures.answered.started)],
        ["  turned away sold out at start (409)", String(figures.answered.turnedAwaySoldOutAtStart)],
        ["  other answer", String(figures.answered.other)],
        [
          "started checkouts ended",
          `${ended.completed} completed, ${ended.compensated} compensated, ${ended.needsAttention} need attention, ${ended.unfinished} unfinished`,
        ],
        ["last unit sold after", `${fmt(figures.lastUnitSoldAfterMs)} ms`],
        ["every start answered after", `${fmt(figures.allStartsAnsweredAfterMs)} ms`],
        ["every attempt final after", figures.everyAttemptFinalAfterMs === null ? "not all were" : `${fmt(figures.everyAttemptFinalAfterMs)} ms`],
        ["time to final p50 / p95 / max", `${fmt(figures.timeToFinalMs.p50)} / ${fmt(figures.timeToFinalMs.p95)} / ${fmt(figures.timeToFinalMs.max)} ms`],
        ["  of started checkouts p50 / p95", `${fmt(figures.timeToFinalOfStartedMs.p50)} / ${fmt(figures.timeToFinalOfStartedMs.p95)} ms`],
        ["start answered p50 / p95", `${fmt(figures.startAnsweredMs.p50)} / ${fmt(figures.startAnsweredMs.p95)} ms`],
        ["HTTP errors", `${figures.httpErrors.total}${figures.httpErrors.total > 0 ? ` ${JSON.stringify(figures.httpErrors.byKind)}` : ""}`],
        ["requests (status polls)", `${figures.requests} (${figures.statusPolls}), ${fmt(figures.requestsPerSecond)}/s`],
        [
          "CPU % of one core",
          Object.entries(figures.cpu.percentByGroup)
            .filter(([, percent]) => percent >= 0.5)
            .map(([group, percent]) => `${group} ${fmt(percent)}`)
            .join(", ") + `; machine ${fmt(figures.cpu.machineBusyPercent)} % busy`,
        ],
      ],
      { alignLeft: true },
    ),
  );
  for (const [reason, count] of Object.entries(figures.compensationReasons)) console.log(`  compensated ×${count}: ${reason}`);
  for (const example of figures.httpErrorExamples) console.log(`  error example: ${example}`);
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    console.error(`\n✗ Flash-sale benchmark failed: ${errorMessage(error)}`);
    if (!(error instanceof BenchConfigError) && error instanceof Error && error.stack) console.error(error.stack);
    process.exit(1);
  },
);
