import { buildApp } from "../../bench/lib/app-mirror";
import { installCleanup } from "../../bench/lib/bench-children";
import { benchClient, insertCustomersWithWallets, seedBenchDatabaseForBuild, signInCustomers } from "../../bench/lib/bench-db";
import { applyToThisProcess, productionShopEnv } from "../../bench/lib/bench-env";
import { beginBenchRun } from "../../bench/lib/bench-run";
import { createAgent, request, trpcQueryPath } from "../../bench/lib/http-client";
import { step } from "../../bench/lib/report";
import { resetInChildProcess, WEB_LIMITS, WORKER_ENV } from "../../chaos/shop";
import { flushClusterMasters } from "../cluster-redis";
import { checkHostsPrerequisites, withRedis, startHostsShop, stopHostsShop, type HostsShop } from "../hosts-shop";
import { killEverythingIn, tearDownNetwork } from "../network";
import { waitUntilOutOfRotation } from "../balancer";
import { checkHostLoss, waitForSagasFinished } from "./checks";
import type { HostLossOptions } from "./options";
import { partitionsLogged } from "./partitions";
import { newShopper, runSale, WALLET_CENTS, type Sale } from "./sale";


export type HostLossRun = Awaited<ReturnType<typeof runHostLoss>>;

/**
 * Builds once, resets the shop with the Classic Unicorn restocked, signs the shoppers in (outside the timed part),
 * starts the hosts behind HAProxy, runs the sale and pulls host 1's plug in the middle, then checks everything.
 */
export async function runHostLoss(options: HostLossOptions) {
  checkHostsPrerequisites("npm run chaos:host-loss");
  const run = await beginBenchRun("host-loss", options);
  // Ctrl-C or the time limit: the hosts go at once with their namespaces (nothing of a check is worth waiting for).
  installCleanup({ timeLimitMs: (600 + options.arriveOverS + options.sagaDeadlineS + 240) * 1_000, onShutdown: async () => tearDownNetwork() });
  console.log(`Host-loss check — ${run.runId}; logs in ${run.logDir}`);
  const appEnv = withRedis(productionShopEnv({ ...options, port: options.frontPort }), options);
  applyToThisProcess({ ...appEnv, LOG_LEVEL: "warn", DATABASE_POOL_SIZE: "2" });

  const buildSeconds = await buildApp(options, appEnv, run.logDir, () => seedBenchDatabaseForBuild(appEnv, run.logDir, options.appDir));
  step(`Resetting ${run.databaseName}: the Cyber Monday state, ${options.stock} Classic Unicorns, ${options.shoppers} shoppers signed in`);
  // In a child process, as the chaos run does: this process's pool stays unopened until the checks at the end.
  await resetInChildProcess(appEnv, options, run.logDir);
  if (options.redisClusterNodes.length > 0) await flushClusterMasters(options.redisClusterNodes);
  const admin = await benchClient(options.databaseUrl);
  await admin.query("UPDATE inventory SET on_hand = $1, reserved = 0 FROM products p WHERE p.id = inventory.product_id AND p.slug = 'classic-unicorn'", [options.stock]);
  const customerIds = await insertCustomersWithWallets(admin, { count: options.shoppers, balanceCents: WALLET_CENTS, emailPrefix: "host-loss" });
  const cookies = await signInCustomers(admin, customerIds);
  const emails = new Map((await admin.query<{ id: string; email: string }>("SELECT id::text, email FROM customers WHERE id = ANY($1::uuid[])", [customerIds])).rows.map((row) => [row.id, row.email]));
  await admin.query("ANALYZE");
  await admin.end();
  const shoppers = customerIds.map((id, index) => newShopper(id, emails.get(id) ?? "?", cookies[index] as string));

  const shop = await startHostsShop(options, {
    logDir: run.logDir,
    shopEnv: { ...appEnv, TRUSTED_PROXY_HOPS: "1" },
    webEnv: { ...WEB_LIMITS, LOG_LEVEL: "info", DATABASE_POOL_SIZE: "5" },
    workerEnv: { ...WORKER_ENV, DATABASE_POOL_SIZE: "5" },
    whenAHostDies: "fail",
  });
  // Each web server and checkout worker logged its saga step queue partitions as it started (all are in rotation now).
  const partitions = partitionsLogged(run.logDir, options.hosts);
  console.log(`  saga step queue partitions: ${partitions.map((seen) => `${seen.process} ${seen.partitions ?? "?"}`).join(", ")} (${partitions[0]?.source ?? "not logged"})`);
  const agent = createAgent(256);
  await warmUp(options.frontPort, cookies[0] as string, options.hosts);

  step(`The sale: ${options.shoppers} shoppers over ${options.arriveOverS} s for ${options.stock} unicorns; host-1 loses every process (kill -9) once ${options.killAfterStarted} checkouts have started`);
  const t0 = performance.now();
  const sale: Sale = { t0, port: options.frontPort, agent, shoppers, unexpected: [], answers: {}, cuts: {}, giveUpAt: t0 + (options.arriveOverS + 120) * 1_000 };
  const kill = { pids: [] as number[], inFlight: 0, outOfRotationMs: null as number | null | undefined, at: 0 };
  let rotation: Promise<number | null> | undefined;
  await runSale(sale, options.arriveOverS, () => {
    if (sale.killedAtMs !== undefined) return;
    const started = shoppers.filter((shopper) => shopper.checkoutId !== undefined).length;
    const lateEnough = performance.now() - t0 > (options.arriveOverS * 1_000) / 2;
    if (started < options.killAfterStarted && !lateEnough) return;
    kill.inFlight = shoppers.filter((shopper) => shopper.checkoutId !== undefined && shopper.final === undefined).length;
    kill.at = performance.now();
    pullThePlug(shop, kill);
    sale.killedAtMs = kill.at - t0;
    rotation = waitUntilOutOfRotation(options.statsPort, "host-1", kill.at);
  });
  const saleMs = performance.now() - t0;
  kill.outOfRotationMs = await rotation;
  agent.destroy();

  step(`Waiting for every saga to finish (by the surviving host${options.hosts > 2 ? "s" : ""}' sweep), at most ${options.sagaDeadlineS} s after the kill`);
  const sagasFinishedMs = await waitForSagasFinished(options.databaseUrl, kill.at, options.sagaDeadlineS);
  step("Checking every invariant");
  const checks = await checkHostLoss({ options, sale, kill, sagasFinishedMs, partitions });

  step("Stopping the hosts and HAProxy");
  shop.stoppingOnPurpose();
  await stopHostsShop(shop);
  return { run, options, buildSeconds, sale, saleMs, kill, sagasFinishedMs, partitions, ...checks };
}

/** host-1's power cord: every process in its namespace killed with SIGKILL in one go. */
function pullThePlug(shop: HostsShop, kill: { pids: number[] }): void {
  shop.losingHost(1);
  kill.pids = killEverythingIn("ur-host-1");
  console.log(`\n  ⚡ host-1: kill -9 of all ${kill.pids.length} processes (${kill.pids.join(", ")})`);
}

/** The first requests to each route load its code, on every host: done before the sale, as on hosts up for a while. */
async function warmUp(port: number, cookie: string, hosts: number): Promise<void> {
  const agent = createAgent(4);
  try {
    for (let round = 0; round < hosts * 3; round += 1) {
      await request({ agent, port, method: "GET", path: trpcQueryPath("catalog.list", undefined), timeoutMs: 30_000 });
      await request({ agent, port, method: "GET", path: trpcQueryPath("checkout.status", { checkoutId: crypto.randomUUID() }), cookie, timeoutMs: 30_000 });
    }
  } finally {
    agent.destroy();
  }
}
