import net from "node:net";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { BENCH_DIST_DIR } from "../bench/lib/app-mirror";
import { startBenchChild, type ManagedChild } from "../bench/lib/bench-children";
import { childEnv, webServerCommand, workerCommand, type AppEnv } from "../bench/lib/bench-env";
import { WORKER_STARTED } from "../bench/lib/bench-workers";
import { haproxyArgs, writeConfig } from "../front/front-door";
import { HOST_WEB_PORT, sidecarConfig, type Relay } from "./haproxy";
import { GATEWAY, hostAddress, type HostAddress } from "./network";

/**
 * One shop host: inside its namespace, its relay sidecar, its web server (`start:web`, one process) and a checkout
 * and a loyalty worker (`worker:checkout`, `worker:loyalty`), all from the one shared build in `appDir`.
 */
export type ShopHost = HostAddress & { sidecar: ManagedChild; web: ManagedChild; checkout: ManagedChild; loyalty: ManagedChild };

export type HostSettings = {
  appDir: string;
  logDir: string;
  relays: readonly Relay[];
  /** Every process's environment (production, database, Redis, APP_URL of the front). */
  shopEnv: AppEnv;
  webEnv: AppEnv;
  workerEnv: AppEnv;
};

/** Runs a program inside the host's namespace (`ip netns exec` execs it: the pid is the program's own). */
function inHost(host: HostAddress, settings: HostSettings, name: string, command: { command: string; args: readonly string[] }, env: AppEnv): ManagedChild {
  return startBenchChild({
    name: `host-${host.n} ${name}`,
    command: "ip",
    args: ["netns", "exec", host.namespace, command.command, ...command.args],
    cwd: settings.appDir,
    env: childEnv(env),
    logFile: path.join(settings.logDir, `host-${host.n}-${name}.log`),
  });
}

/** Starts host `n` and waits until its web server answers its health check and both workers take jobs. */
export async function startHost(n: number, settings: HostSettings): Promise<ShopHost> {
  const host = hostAddress(n);
  const config = writeConfig(path.join(settings.logDir, `haproxy-host-${n}.cfg`), sidecarConfig(settings.relays));
  const sidecar = inHost(host, settings, "relays", { command: "haproxy", args: haproxyArgs(config) }, {});
  await waitForRelays(host, settings.relays, sidecar);

  const web = webServerCommand(settings.appDir, HOST_WEB_PORT);
  // start:web's own arguments, listening on the host's address instead of 127.0.0.1.
  const webArgs = web.args.map((arg, index) => (web.args[index - 1] === "--hostname" ? host.address : arg));
  const webChild = inHost(host, settings, "web", { command: web.command, args: webArgs }, {
    ...settings.shopEnv,
    ...web.env,
    NEXT_DIST_DIR: BENCH_DIST_DIR,
    ...settings.webEnv,
  });
  const workerEnv = { ...settings.shopEnv, ...settings.workerEnv };
  const checkout = inHost(host, settings, "checkout", workerCommand(settings.appDir, "worker:checkout"), workerEnv);
  const loyalty = inHost(host, settings, "loyalty", workerCommand(settings.appDir, "worker:loyalty"), workerEnv);
  await Promise.all([
    waitForHealth(host, webChild),
    checkout.waitForOutput(WORKER_STARTED, 90_000),
    loyalty.waitForOutput(WORKER_STARTED, 90_000),
  ]);
  return { ...host, sidecar, web: webChild, checkout, loyalty };
}

export function hostChildren(host: ShopHost): ManagedChild[] {
  return [host.web, host.checkout, host.loyalty, host.sidecar];
}

/** Each relay answers a TCP connect from inside the host (through the sidecar and the gateway to the service itself). */
async function waitForRelays(host: HostAddress, relays: readonly Relay[], sidecar: ManagedChild): Promise<void> {
  const { execFileSync } = await import("node:child_process");
  const deadline = performance.now() + 15_000;
  for (const relay of relays) {
    for (;;) {
      try {
        execFileSync("ip", ["netns", "exec", host.namespace, "bash", "-c", `exec 3<>/dev/tcp/127.0.0.1/${relay.port}`], { stdio: "ignore" });
        break;
      } catch {
        if (!sidecar.isRunning()) throw new Error(`host-${host.n}'s relays stopped:\n${sidecar.tail(20)}`);
        if (performance.now() > deadline) {
          throw new Error(`host-${host.n} cannot reach ${relay.name} (127.0.0.1:${relay.port} → ${GATEWAY}:${relay.gatewayPort}):\n${sidecar.tail(20)}`);
        }
        await sleep(200);
      }
    }
  }
}

/** The web server answers GET /api/health on the host's address (asked from the root namespace, as HAProxy does). */
async function waitForHealth(host: HostAddress, web: ManagedChild, timeoutMs = 120_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (web.isRunning()) {
    if (await answersHealth(host.address, HOST_WEB_PORT)) return;
    if (performance.now() > deadline) throw new Error(`host-${host.n}'s web server did not answer within ${timeoutMs / 1000} s:\n${web.tail(30)}`);
    await sleep(300);
  }
  throw new Error(`host-${host.n}'s web server exited before it answered:\n${web.tail(30)}`);
}

function answersHealth(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: address, port, timeout: 2_000 }, () => {
      socket.write(`GET /api/health HTTP/1.1\r\nHost: ${address}\r\nConnection: close\r\n\r\n`);
    });
    let head = "";
    socket.on("data", (chunk) => (head += chunk.toString("utf8")));
    socket.on("end", () => resolve(head.startsWith("HTTP/1.1 200")));
    socket.on("timeout", () => socket.destroy());
    socket.on("error", () => resolve(false));
    socket.on("close", () => resolve(head.startsWith("HTTP/1.1 200")));
  });
}
