import path from "node:path";
import { BENCH_DIST_DIR, buildApp } from "../lib/app-mirror";
import { exitIfAnyDies, installCleanup, stopChildren } from "../lib/bench-children";
import { benchClient, flushBenchRedis, postgresSettings, resetBenchShop, seedBenchDatabaseForBuild } from "../lib/bench-db";
import { applyToThisProcess, BenchConfigError, productionShopEnv, REPO_ROOT, type AppEnv } from "../lib/bench-env";
import { beginBenchRun } from "../lib/bench-run";
import { assertPortFree, startWebServer, waitUntilAnswering } from "../lib/bench-web";
import { createAgent } from "../lib/http-client";
import { step } from "../lib/report";
import { findWrk } from "../lib/wrk";
import { oneHostFrontConfig, writeConfig } from "../../front/front-door";
import { startHaproxy } from "../../front/start-haproxy";
import { ensureHaproxy } from "../../hosts/ensure-tools";
import { ADDRESS_NAMES, benchAddresses, SOLD_OUT_SLUG, type Address } from "./addresses";
import { measureAddress, pickStaticAsset, probeAddresses, type AddressFigures } from "./measure";
import type { HttpBenchOptions } from "./options";
import { profileAddresses } from "./profile";
import { printProfiles, printThroughput, type HttpBenchRun } from "./report";
import { prepareShopper, sellOut } from "./shopper";

/**
 * Builds the app (or reuses the build), resets the shop, starts the web server and (unless --no-front) the shop's
 * front door in front of it, signs the shopper in and gives them a completed checkout, sells the Classic Unicorn out,
 * then measures each address in turn — through the front door, then at the web server — and (unless --no-profile)
 * profiles each at the web server in a second pass; prints the tables and stops everything it started.
 */
export async function runHttpBench(options: HttpBenchOptions): Promise<HttpBenchRun> {
  const run = await beginBenchRun("http", options);
  const addressCount = (options.only?.length ?? ADDRESS_NAMES.length - 1) + 1;
  const perAddressS = (options.front ? 2 : 1) * (options.warmupS + 2 * options.durationS + 10) + (options.profile ? options.warmupS + options.profileDurationS + 5 : 0);
  installCleanup({ timeLimitMs: (600 + 300 + addressCount * perAddressS) * 1000 });

  const appEnv = productionShopEnv(options);
  applyToThisProcess({ ...appEnv, LOG_LEVEL: "warn", DATABASE_POOL_SIZE: "2" });
  const wrk = findWrk();
  console.log(`HTTP benchmark — ${run.runId}`);
  console.log(
    `  ${options.connections} connections, ${options.durationS} s at each address after ${options.warmupS} s of warm-up, ` +
      `by autocannon${wrk ? " and wrk" : ""}${options.profile ? `; then ${options.profileDurationS} s each under the profiler` : ""}`,
  );
  console.log(`  logs: ${path.relative(REPO_ROOT, run.logDir)}/`);
  await assertPortFree(options.port);
  const frontPort = options.port + 1;
  if (options.front) {
    await assertPortFree(frontPort);
    try {
      ensureHaproxy();
    } catch (error) {
      throw new BenchConfigError(`${(error as Error).message}, or pass --no-front to measure the web server alone`);
    }
  }

  // The build prerenders the catalog from the bench database.
  const buildSeconds = await buildApp(options, appEnv, run.logDir, () => seedBenchDatabaseForBuild(appEnv, run.logDir, options.appDir));
  step(`Resetting ${run.databaseName} to the Cyber Monday state (the app's own seed)`);
  await resetBenchShop(appEnv, { redisUrl: options.redisUrl, logDir: run.logDir, cwd: options.appDir });
  const admin = await benchClient(options.databaseUrl);
  const postgres = await postgresSettings(admin);

  const webEnv: AppEnv = { ...appEnv, NEXT_DIST_DIR: BENCH_DIST_DIR, LOG_LEVEL: "info" };
  const web = startWebServer({ name: "web", appDir: options.appDir, port: options.port, env: webEnv, logFile: path.join(run.logDir, "web.log") });
  step(`Starting the web server (${web.command.display}, pid ${web.child.pid}) and, to prepare the shopper, the workers`);
  await waitUntilAnswering(web);
  const front = options.front
    ? await startHaproxy({
        configFile: writeConfig(path.join(run.logDir, "haproxy-front.cfg"), oneHostFrontConfig({ frontPort, webPort: options.port, bind: "127.0.0.1" })),
        cwd: options.appDir,
        logFile: path.join(run.logDir, "haproxy-front.log"),
        listens: [{ host: "127.0.0.1", port: frontPort }],
      })
    : null;
  if (front) console.log(`  ✓ the front door (HAProxy, pid ${front.pid}) on 127.0.0.1:${frontPort}, in front of the web server on :${options.port}`);
  const stoppingWeb = exitIfAnyDies(front ? [web.child, front] : [web.child]);
  const agent = createAgent(4);
  const shopper = await prepareShopper({ agent, port: options.port }, { appDir: options.appDir, env: appEnv, logDir: run.logDir });
  await sellOut(admin, SOLD_OUT_SLUG);
  console.log(`  ✓ ${SOLD_OUT_SLUG} sold out (on_hand = reserved)`);

  const staticAsset = pickStaticAsset(options.appDir);
  const addresses = benchAddresses({ port: options.port, staticAssetPath: staticAsset.path, cookie: shopper.cookie, checkoutId: shopper.checkoutId }).filter(
    (address) => address.name === "static" || !options.only || options.only.includes(address.name),
  );
  const throughFront = (address: Address): Address => ({ ...address, target: { ...address.target, port: frontPort } });
  await probeAddresses(agent, front ? [...addresses, ...addresses.map(throughFront)] : addresses);
  agent.destroy();
  console.log(`  ✓ every address answers as expected (static asset: ${staticAsset.path}, ${staticAsset.bytes.toLocaleString("en")} bytes)`);

  step(`Measuring ${addresses.length} addresses, ${options.connections} connections each${front ? ", through the front door and then at the web server" : ""}`);
  const figures: AddressFigures[] = [];
  const frontFigures: AddressFigures[] = [];
  const workDir = path.join(run.logDir, "wrk");
  const settings = { connections: options.connections, durationS: options.durationS, warmupS: options.warmupS, wrk, workDir, webPid: web.child.pid, databaseName: run.databaseName };
  for (const address of addresses) {
    // Each address through both doors one after the other: the machine's drift over the run touches both alike.
    if (front) frontFigures.push(await measureAddress(throughFront(address), { ...settings, frontPid: front.pid, label: `${address.name} via front` }));
    figures.push(await measureAddress(address, settings));
  }
  stoppingWeb();
  await stopChildren(front ? [web.child, front] : [web.child]);
  if (front) printThroughput(frontFigures, options.connections, `Through the front door (HAProxy with its page cache, :${frontPort}):`);
  printThroughput(figures, options.connections, `At the web server (:${options.port}):`);

  let profiled: Awaited<ReturnType<typeof profileAddresses>> | null = null;
  if (options.profile) {
    profiled = await profileAddresses(addresses, {
      appDir: options.appDir,
      port: options.port,
      env: webEnv,
      logDir: run.logDir,
      connections: options.connections,
      durationS: options.profileDurationS,
      warmupS: options.warmupS,
      databaseName: run.databaseName,
    });
    printProfiles(profiled.profiles, path.relative(REPO_ROOT, profiled.profileFile), options.connections);
  }

  await admin.end();
  // Redis keeps everything in memory (noeviction, shared with others): drop what the run left there.
  await flushBenchRedis(options.redisUrl);
  return {
    run,
    postgres,
    webCommand: web.command.display,
    buildSeconds,
    staticAsset,
    wrk,
    figures,
    frontFigures: front ? frontFigures : null,
    profiles: profiled?.profiles ?? null,
    profileFile: profiled ? path.relative(REPO_ROOT, profiled.profileFile) : null,
  };
}
