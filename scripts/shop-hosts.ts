/**
 * `npm run shop:hosts -- --hosts 2` (as root) — the shop on N hosts behind one address: each host a network namespace
 * of its own (ur-host-<n>, 10.77.0.<10+n>) running its web server, checkout worker and loyalty worker from one shared
 * production build, HAProxy in front on 127.0.0.1:3520 (round robin, a dead host out of rotation within ~1.5 s), and
 * one PostgreSQL and one Redis (or a Redis Cluster: --redis-cluster-nodes) reached through relays on the gateway.
 * Ctrl-C stops everything and removes the namespaces, the bridge and the veth pairs.
 *
 *   npm run shop:hosts                       2 hosts
 *   npm run shop:hosts -- --hosts 3 --no-build
 *   npm run shop:hosts -- --help
 */
import { execFileSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { buildApp } from "./bench/lib/app-mirror";
import { installCleanup, reapLeftoverChildren, trackChildrenIn } from "./bench/lib/bench-children";
import { seedBenchDatabaseForBuild } from "./bench/lib/bench-db";
import { integerOption as int, productionShopEnv, REPO_ROOT, RESULTS_DIR, type AppEnv } from "./bench/lib/bench-env";
import { parseBenchArgs, runBench } from "./bench/lib/bench-main";
import { fileTimestamp, step } from "./bench/lib/report";
import { checkHostsPrerequisites, withRedis, startHostsShop, stopHostsShop, type HostsOptions, type HostsShop } from "./hosts/hosts-shop";
import { MAX_HOSTS, tearDownNetwork } from "./hosts/network";

const HELP = `Usage: npm run shop:hosts -- [options]        (as root)

  --hosts N               shop hosts, default 2 (1–${MAX_HOSTS})
  --port N                HAProxy's front, default 3520 (stats page N+1, relays on 10.77.0.1:N+10…)
  --no-build              reuse the last build in <app-dir>
  --app-dir DIR           where the sources are copied and built, default ${path.join(os.tmpdir(), "unicorn-retail-hosts-app")}
  --database-url URL      default postgresql://postgres:postgres@127.0.0.1:5432/unicorn_retail_hosts
  --redis-url URL         default redis://127.0.0.1:6379/10
  --redis-cluster-nodes L 127.0.0.1:port,… of a Redis Cluster instead of --redis-url (default $REDIS_CLUSTER_NODES)
`;

function parseOptions(): HostsOptions & { build: boolean } {
  const values = parseBenchArgs(HELP, {
    hosts: { type: "string", default: "2" },
    port: { type: "string", default: "3520" },
    "no-build": { type: "boolean", default: false },
    "app-dir": { type: "string", default: path.join(os.tmpdir(), "unicorn-retail-hosts-app") },
    "database-url": { type: "string", default: "postgresql://postgres:postgres@127.0.0.1:5432/unicorn_retail_hosts" },
    "redis-url": { type: "string", default: "redis://127.0.0.1:6379/10" },
    "redis-cluster-nodes": { type: "string", default: process.env.REDIS_CLUSTER_NODES ?? "" },
  });
  const frontPort = int("port", values.port, 1_024, 65_000);
  return {
    hosts: int("hosts", values.hosts, 1, MAX_HOSTS),
    frontPort,
    statsPort: frontPort + 1,
    firstRelayPort: frontPort + 10,
    build: !values["no-build"],
    appDir: path.resolve(values["app-dir"]),
    databaseUrl: values["database-url"],
    redisUrl: values["redis-url"],
    redisClusterNodes: values["redis-cluster-nodes"].split(",").map((node) => node.trim()).filter(Boolean),
  };
}

runBench("shop:hosts", async () => {
  const options = parseOptions();
  checkHostsPrerequisites("npm run shop:hosts");
  step("Checking PostgreSQL and Redis");
  execFileSync("bash", [path.join(REPO_ROOT, "scripts", "ensure-services.sh")], { stdio: "inherit" });

  const runId = `shop-hosts-${fileTimestamp()}-${process.pid}`;
  const logDir = path.join(RESULTS_DIR, "logs", runId);
  const pidFile = path.join(RESULTS_DIR, ".pids", "shop-hosts.json");
  const reaped = reapLeftoverChildren(pidFile);
  if (reaped.length > 0) console.log(`Stopped processes left behind by an earlier run: ${reaped.join(", ")}`);
  trackChildrenIn(pidFile, runId);
  // setTimeout's longest delay: in effect, no limit for a shop that runs until Ctrl-C.
  const started: { shop?: HostsShop } = {};
  // Ctrl-C: the hosts' processes first, then the relays they need to shut down cleanly (stopHostsShop).
  installCleanup({ timeLimitMs: 2 ** 31 - 1, onShutdown: async () => {
      if (started.shop) await stopHostsShop(started.shop);
      tearDownNetwork();
    },
  });

  const appEnv: AppEnv = withRedis({ ...productionShopEnv({ ...options, port: options.frontPort }), SHOP_MODE: "demo" }, options);
  // Migrated and seeded (keeping what is there) whether or not it builds: the build prerenders from this database.
  const prepare = () => seedBenchDatabaseForBuild(appEnv, logDir, options.appDir);
  if (!options.build) await prepare();
  await buildApp(options, appEnv, logDir, prepare);
  started.shop = await startHostsShop(options, {
    logDir,
    shopEnv: { ...appEnv, TRUSTED_PROXY_HOPS: "1" },
    webEnv: { LOG_LEVEL: "info" },
    workerEnv: { LOG_LEVEL: "info" },
    whenAHostDies: "report",
  });
  console.log(`
  🦄  Unicorn Retail is open at ${appEnv.APP_URL} — ${options.hosts} host${options.hosts > 1 ? "s" : ""} behind HAProxy
      (stats: http://127.0.0.1:${options.statsPort}/, logs: ${path.relative(REPO_ROOT, logDir)}/)

  Demo logins (password: cybermonday): ada@unicorn.test, pat@unicorn.test, admin@unicorn.test
  Lose a host:  ip netns pids ur-host-1 | xargs kill -9     (HAProxy takes it out of rotation within ~1.5 s)
  Ctrl-C stops everything and removes the namespaces.
`);
  await new Promise(() => {}); // until Ctrl-C: the cleanup stops the hosts and exits
});
