import { randomUUID } from "node:crypto";
import type http from "node:http";
import path from "node:path";
import { BENCH_DIST_DIR, checkReusableCopy, syncAppCopy } from "../lib/app-mirror";
import { exitIfAnyDies, runToCompletion, startBenchChild, type ManagedChild } from "../lib/bench-children";
import { BenchConfigError, checkoutWorkerCommand, childEnv, type AppEnv } from "../lib/bench-env";
import { describeChildren, startWorkerProcesses, WORKER_STARTED } from "../lib/bench-workers";
import { createAgent, describeFailure, request, trpcQueryPath } from "../lib/http-client";
import { createProgress, round, step } from "../lib/report";
import type { FlashSaleOptions } from "./options";
import { PRODUCT_SLUG, type Shopper } from "./shoppers";

/**
 * Copies the sources to the app dir and builds the app there into .next-bench (`next build`), or checks that a build
 * is there to reuse (--no-build); returns how long the build took, null when reused.
 */
export async function buildApp(options: FlashSaleOptions, appEnv: AppEnv, logDir: string): Promise<number | null> {
  if (!options.build) {
    checkReusableCopy(options.appDir);
    step(`Reusing the build in ${path.join(options.appDir, BENCH_DIST_DIR)}`);
    return null;
  }
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
      env: childEnv({ ...appEnv, NEXT_DIST_DIR: BENCH_DIST_DIR, LOG_LEVEL: "warn" }),
      logFile: path.join(logDir, "build.log"),
      timeoutMs: 600_000,
    });
  } finally {
    clearInterval(ticker);
  }
  const buildSeconds = round((performance.now() - buildStart) / 1000);
  progress.done(`  built in ${buildSeconds} s`);
  return buildSeconds;
}

export type SaleServers = {
  webs: ManagedChild[];
  workers: ManagedChild[];
  workerCommand: string;
  /** Call before stopping them on purpose (until then, one that dies fails the bench). */
  stoppingOnPurpose: () => void;
};

/** The web server(s) (`next start` of the build, on consecutive ports) and the checkout worker(s), from the app dir. */
export async function startServers(options: FlashSaleOptions, appEnv: AppEnv, ports: readonly number[], logDir: string): Promise<SaleServers> {
  step(`Starting ${ports.length} web server(s) (next start on 127.0.0.1:${ports.join(", ")}) and ${options.workers} checkout worker(s)`);
  const webs = ports.map((port, index) =>
    startBenchChild({
      name: ports.length === 1 ? "web" : `web-${index + 1}`,
      command: path.join(options.appDir, "node_modules", ".bin", "next"),
      args: ["start", "-H", "127.0.0.1", "-p", String(port)],
      cwd: options.appDir,
      env: childEnv({ ...appEnv, NEXT_DIST_DIR: BENCH_DIST_DIR, LOG_LEVEL: "info", DATABASE_POOL_SIZE: String(options.webPool), ...options.webEnv }),
      logFile: path.join(logDir, ports.length === 1 ? "web.log" : `web-${index + 1}.log`),
    }),
  );
  const workerCommand = checkoutWorkerCommand(options.appDir);
  const workers = startWorkerProcesses({
    count: options.workers,
    command: workerCommand,
    cwd: options.appDir,
    env: {
      ...appEnv,
      LOG_LEVEL: "info",
      DATABASE_POOL_SIZE: String(options.workerPool),
      CHECKOUT_WORKER_CONCURRENCY: String(options.concurrency),
      ...options.workerEnv,
    },
    logDir,
  });
  await Promise.all([
    ...webs.map((web) => web.waitForOutput(/Ready in/, 60_000)),
    ...workers.map((worker) => worker.waitForOutput(WORKER_STARTED, 60_000)),
  ]);
  return { webs, workers, workerCommand: workerCommand.display, stoppingOnPurpose: exitIfAnyDies([...webs, ...workers]) };
}

/** Prints who runs, once each server has been warmed up. */
export async function warmUpServers(agent: http.Agent, ports: readonly number[], servers: SaleServers, shopper: Shopper): Promise<void> {
  for (const port of ports) await warmUp(agent, port, shopper);
  console.log(`  ready: ${describeChildren([...servers.webs, ...servers.workers])} (warmed up)`);
}

export async function assertPortFree(port: number): Promise<void> {
  const agent = createAgent(1);
  const probe = await request({ agent, port, method: "GET", path: "/", timeoutMs: 1_000 });
  agent.destroy();
  if (probe.status !== 0) throw new BenchConfigError(`Something already answers on 127.0.0.1:${port}; stop it or pass --port`);
}

/** The first request to each route loads its code: done before the sale, as on a server that has been up for a while. */
async function warmUp(agent: http.Agent, port: number, shopper: Shopper): Promise<void> {
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
