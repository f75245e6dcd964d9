import path from "node:path";
import { buildApp } from "../lib/app-mirror";
import { installCleanup, stopChildren } from "../lib/bench-children";
import { flushBenchRedis, seedBenchDatabaseForBuild } from "../lib/bench-db";
import { applyToThisProcess, productionShopEnv, REPO_ROOT } from "../lib/bench-env";
import { beginBenchRun } from "../lib/bench-run";
import { assertPortFree } from "../lib/bench-web";
import { createAgent } from "../lib/http-client";
import { printInvariants, step } from "../lib/report";
import { saleFigures } from "./figures";
import { checkFlashSaleInvariants } from "./invariants";
import type { FlashSaleOptions } from "./options";
import { printFigures, type FlashSaleRun } from "./report";
import { runSale } from "./sale";
import { startServers, warmUpServers } from "./servers";
import { EXPECTED_STOCK, prepareSaleShop, type Shopper } from "./shoppers";

/**
 * Builds the app (or reuses the build), resets the shop and signs the shoppers in, starts the web server(s) and the
 * worker(s), runs the sale, prints its figures, checks the invariants and stops everything it started.
 */
export async function runFlashSale(options: FlashSaleOptions): Promise<FlashSaleRun> {
  const run = await beginBenchRun("flash-sale", options);
  installCleanup({ timeLimitMs: (600 + options.timeoutS + 180) * 1000 });

  const sharedEnv = productionShopEnv(options);
  applyToThisProcess({ ...sharedEnv, LOG_LEVEL: "warn", DATABASE_POOL_SIZE: "2" });

  console.log(`Flash-sale benchmark — ${run.runId}`);
  console.log(
    `  ${options.shoppers} shoppers, ${EXPECTED_STOCK} Classic Unicorns; ${options.workers} worker(s) × concurrency ${options.concurrency}, ` +
      `pools: web ${options.webPool}, worker ${options.workerPool}; ${options.connections} + ${options.pollConnections} client connections; ` +
      `status poll every ${options.pollMs} ms`,
  );
  console.log(`  logs: ${path.relative(REPO_ROOT, run.logDir)}/`);
  const ports = Array.from({ length: options.webProcesses }, (_, index) => options.port + index);
  for (const port of ports) await assertPortFree(port);

  // The build prerenders the catalog from the bench database; the sale then resets it with its shoppers.
  const buildSeconds = await buildApp(options, sharedEnv, run.logDir, () => seedBenchDatabaseForBuild(sharedEnv, run.logDir, options.appDir));
  const shop = await prepareSaleShop(options, sharedEnv, run);
  const { shoppers } = shop;
  const servers = await startServers(options, sharedEnv, ports, run.logDir);
  // The "buy" requests go over the connections the warm-up opened, as to a server that has been up for a while.
  const agents = { agent: createAgent(options.connections), pollAgent: createAgent(options.pollConnections) };
  await warmUpServers(agents.agent, ports, servers, shoppers[0] as Shopper);

  step(
    options.arriveOverS === 0
      ? `${options.shoppers} shoppers press "buy" at once`
      : `${options.shoppers} shoppers press "buy", arriving evenly over ${options.arriveOverS} s`,
  );
  const children = [...servers.webs, ...servers.workers];
  const roots = Object.fromEntries(children.map((child) => [child.name, child.pid]));
  const tally = await runSale(options, shoppers, { ports, ...agents }, { roots, databaseName: run.databaseName });
  const figures = await saleFigures(shop.admin, shoppers, tally);
  printFigures(figures);

  step("Checking invariants");
  const invariants = await checkFlashSaleInvariants(shop.admin, {
    productId: shop.productId,
    otherStockBefore: shop.otherStockBefore,
    buyers: shoppers.filter((shopper) => shopper.final === "completed").map((shopper) => shopper.customerId),
    started: figures.answered.started,
    unanswered: shoppers.filter((shopper) => shopper.final === undefined || shopper.final === "unfinished").length,
  });
  const ok = printInvariants(invariants);

  step("Stopping the web server and the workers");
  servers.stoppingOnPurpose();
  await stopChildren(children);
  await shop.admin.end();
  // Redis keeps everything in memory (noeviction, shared with others): drop the run's jobs and events.
  await flushBenchRedis(options.redisUrl);
  return { run, postgres: shop.postgres, workerCommand: servers.workerCommand, webCommand: servers.webCommand, buildSeconds, figures, invariants, ok };
}
