import path from "node:path";
import { exitIfAnyDies, stopChildren, type ManagedChild } from "../bench/lib/bench-children";
import type { AppEnv } from "../bench/lib/bench-env";
import { step } from "../bench/lib/report";
import { waitUntilInRotation } from "./balancer";
import { everyClusterNode } from "./cluster-redis";
import { ensureHostTools } from "./ensure-tools";
import { writeConfig } from "../front/front-door";
import { startHaproxy } from "../front/start-haproxy";
import { frontConfig, relaysFor } from "./haproxy";
import { hostChildren, startHost, type HostSettings, type ShopHost } from "./hosts";
import { GATEWAY, requireRoot, setUpNetwork, tearDownNetwork } from "./network";

/**
 * N shop hosts behind HAProxy, against one PostgreSQL and one Redis (or a Redis Cluster): the network (network.ts),
 * HAProxy's front and relays (haproxy.ts), and the hosts (hosts.ts). Everything it sets up is taken down again on
 * every way out: the children by bench-children's cleanup, the namespaces and the bridge by an exit handler.
 */

export type HostsOptions = {
  hosts: number;
  frontPort: number;
  statsPort: number;
  /** The gateway ports of the relays follow these (PostgreSQL, then Redis or each cluster node). */
  firstRelayPort: number;
  appDir: string;
  databaseUrl: string;
  redisUrl: string;
  /** `127.0.0.1:<port>` of each Redis Cluster node; empty for the one Redis of redisUrl. */
  redisClusterNodes: string[];
};

export type HostsShop = {
  front: ManagedChild;
  hosts: ShopHost[];
  /** Call before a host's processes die on purpose (until then, one of them dying ends the run: exitIfAnyDies). */
  losingHost: (n: number) => void;
  /** Call before stopping everything on purpose. */
  stoppingOnPurpose: () => void;
};

/** Root and the tools, checked before anything is set up: without them nothing is left half done. */
export function checkHostsPrerequisites(what: string): void {
  requireRoot(what);
  ensureHostTools();
}

/**
 * The shop's environment on the Redis asked for: REDIS_URL for one Redis, or REDIS_CLUSTER_NODES (and no REDIS_URL:
 * the app refuses both at once) for a cluster.
 */
export function withRedis(env: AppEnv, options: Pick<HostsOptions, "redisUrl" | "redisClusterNodes">): AppEnv {
  const { REDIS_URL: _oneRedis, ...rest } = env;
  return options.redisClusterNodes.length > 0
    ? { ...rest, REDIS_CLUSTER_NODES: options.redisClusterNodes.join(",") }
    : { ...rest, REDIS_URL: options.redisUrl };
}

/**
 * `whenAHostDies`: "fail" ends the run at once (a check, where only the host killed on purpose may die), "report"
 * says so and carries on with the others (the demo, where losing a host is the thing to try).
 */
export async function startHostsShop(
  options: HostsOptions,
  settings: Omit<HostSettings, "relays" | "appDir"> & { whenAHostDies: "fail" | "report" },
): Promise<HostsShop> {
  process.on("exit", tearDownNetwork);
  step(`Network: bridge ur-br0 (10.77.0.1/24) and ${options.hosts} namespaces ur-host-1…${options.hosts}`);
  const addresses = setUpNetwork(options.hosts);
  for (const host of addresses) console.log(`  ${host.namespace}: ${host.address} (veth ${host.veth})`);

  const redisClusterNodes = options.redisClusterNodes.length > 0 ? await everyClusterNode(options.redisClusterNodes) : [];
  const relays = relaysFor({ ...options, redisClusterNodes, firstGatewayPort: options.firstRelayPort });
  const config = writeConfig(
    path.join(settings.logDir, "haproxy-front.cfg"),
    frontConfig({ frontPort: options.frontPort, statsPort: options.statsPort, hosts: addresses, relays }),
  );
  step(`HAProxy: the shop on 127.0.0.1:${options.frontPort} (stats on :${options.statsPort}), relays ${relays.map((relay) => `${relay.name} 10.77.0.1:${relay.gatewayPort}`).join(", ")}`);
  const front = await startHaproxy({
    configFile: config,
    cwd: options.appDir,
    logFile: path.join(settings.logDir, "haproxy-front.log"),
    listens: [{ host: "127.0.0.1", port: options.frontPort }, ...relays.map((relay) => ({ host: GATEWAY, port: relay.gatewayPort }))],
  });

  step(`Starting ${options.hosts} hosts (each: relays, web server, checkout worker, loyalty worker)`);
  const hostSettings: HostSettings = { ...settings, appDir: options.appDir, relays };
  const hosts = await Promise.all(addresses.map((address) => startHost(address.n, hostSettings)));
  for (const host of hosts) {
    console.log(`  host-${host.n} ${host.address}: ${hostChildren(host).map((child) => `${child.name.replace(/^host-\d+ /, "")} pid ${child.pid}`).join(", ")}`);
  }
  await waitUntilInRotation(options.statsPort, hosts.map((host) => `host-${host.n}`));
  console.log(`  ✓ HAProxy has all ${hosts.length} hosts in rotation`);
  const frontExpected = exitIfAnyDies([front]);
  const hostExpected = new Map(
    hosts.map((host) => [host.n, settings.whenAHostDies === "fail" ? exitIfAnyDies(hostChildren(host)) : reportDeaths(host)]),
  );
  return {
    front,
    hosts,
    losingHost: (n) => hostExpected.get(n)?.(),
    stoppingOnPurpose: () => {
      frontExpected();
      for (const expected of hostExpected.values()) expected();
    },
  };
}

/** Says when one of the host's processes dies; returns the function to call before stopping them on purpose. */
function reportDeaths(host: ShopHost): () => void {
  let expected = false;
  for (const child of hostChildren(host)) {
    void child.exited.then((exit) => {
      if (!expected) console.log(`  ⚡ ${child.name} (pid ${child.pid}) is gone (${exit.signal ?? `code ${exit.code}`}); HAProxy serves from the other hosts`);
    });
  }
  return () => {
    expected = true;
  };
}

/**
 * Stops the shop's processes on every host still up, then the relays and HAProxy: the workers need PostgreSQL and
 * Redis to finish their jobs and close their connections, so the relays go last.
 */
export async function stopHostsShop(shop: HostsShop): Promise<void> {
  shop.stoppingOnPurpose();
  const running = (children: ManagedChild[]) => children.filter((child) => child.isRunning());
  await stopChildren(running(shop.hosts.flatMap((host) => [host.web, host.checkout, host.loyalty])));
  await stopChildren(running([...shop.hosts.map((host) => host.sidecar), shop.front]));
}
