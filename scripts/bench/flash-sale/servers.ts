import { randomUUID } from "node:crypto";
import type http from "node:http";
import path from "node:path";
import { BENCH_DIST_DIR } from "../lib/app-mirror";
import { exitIfAnyDies, type ManagedChild } from "../lib/bench-children";
import { checkoutWorkerCommand, type AppEnv } from "../lib/bench-env";
import { startWebServer, waitUntilAnswering } from "../lib/bench-web";
import { describeChildren, startWorkerProcesses, WORKER_STARTED } from "../lib/bench-workers";
import { describeFailure, request, trpcQueryPath } from "../lib/http-client";
import { step } from "../lib/report";
import type { FlashSaleOptions } from "./options";
import { PRODUCT_SLUG, type Shopper } from "./shoppers";

export type SaleServers = {
  webs: ManagedChild[];
  workers: ManagedChild[];
  workerCommand: string;
  webCommand: string;
  /** Call before stopping them on purpose (until then, one that dies fails the bench). */
  stoppingOnPurpose: () => void;
};

/** The web server(s) (`start:web` of the build, on consecutive ports) and the checkout worker(s), from the app dir. */
export async function startServers(options: FlashSaleOptions, appEnv: AppEnv, ports: readonly number[], logDir: string): Promise<SaleServers> {
  step(`Starting ${ports.length} web server(s) (start:web on 127.0.0.1:${ports.join(", ")}) and ${options.workers} checkout worker(s)`);
  const webs = ports.map((port, index) =>
    startWebServer({
      name: ports.length === 1 ? "web" : `web-${index + 1}`,
      appDir: options.appDir,
      port,
      env: { ...appEnv, NEXT_DIST_DIR: BENCH_DIST_DIR, LOG_LEVEL: "info", DATABASE_POOL_SIZE: String(options.webPool), ...options.webEnv },
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
    ...webs.map((web) => waitUntilAnswering(web)),
    ...workers.map((worker) => worker.waitForOutput(WORKER_STARTED, 60_000)),
  ]);
  const webChildren = webs.map((web) => web.child);
  return {
    webs: webChildren,
    workers,
    workerCommand: workerCommand.display,
    webCommand: webs[0]?.command.display ?? "",
    stoppingOnPurpose: exitIfAnyDies([...webChildren, ...workers]),
  };
}

/** Prints who runs, once each server has been warmed up. */
export async function warmUpServers(agent: http.Agent, ports: readonly number[], servers: SaleServers, shopper: Shopper): Promise<void> {
  for (const port of ports) await warmUp(agent, port, shopper);
  console.log(`  ready: ${describeChildren([...servers.webs, ...servers.workers])} (warmed up)`);
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
