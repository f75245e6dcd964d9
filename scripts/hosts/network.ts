import { execFileSync } from "node:child_process";
import { BenchConfigError } from "../bench/lib/bench-env";

/**
 * The shop hosts' network, made with iproute2 as root: a bridge `ur-br0` holding the gateway address 10.77.0.1/24 in
 * the root namespace, and for host n a network namespace `ur-host-<n>` joined to the bridge by a veth pair
 * (`ur-veth-<n>` on the bridge, `ur-veth-<n>p` inside, renamed eth0) with the address 10.77.0.<10+n>. Each host is
 * then a machine of its own as far as TCP is concerned: its own loopback, its own address, and only the gateway to
 * reach anything else. Nothing is routed beyond the subnet: the hosts reach PostgreSQL and Redis only through the
 * relays on the gateway (haproxy.ts).
 */

export const BRIDGE = "ur-br0";
export const GATEWAY = "10.77.0.1";
const PREFIX = 24;
export const MAX_HOSTS = 8;

export type HostAddress = { n: number; namespace: string; address: string; veth: string };

export function hostAddress(n: number): HostAddress {
  return { n, namespace: `ur-host-${n}`, address: `10.77.0.${10 + n}`, veth: `ur-veth-${n}` };
}

/** What running several hosts needs, said before anything is set up: root (namespaces, links) and iproute2. */
export function requireRoot(what: string): void {
  if (process.getuid?.() === 0) return;
  throw new BenchConfigError(
    `${what} needs root: it creates network namespaces (ip netns add ur-host-<n>), veth pairs and a bridge (ur-br0, ` +
      `10.77.0.0/24), and installs HAProxy with apt-get if it is missing. Nothing was set up. Run it as root ` +
      `(e.g. sudo npm run …). Without root: npm run shop (one host), or npm run bench:flash-sale -- --web-processes 2 ` +
      `(two web servers on one address, no balancer).`,
  );
}

function ip(args: string[], options: { quiet?: boolean } = {}): string {
  try {
    return execFileSync("ip", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    if (options.quiet) return "";
    const stderr = (error as { stderr?: string }).stderr ?? "";
    throw new Error(`ip ${args.join(" ")} failed: ${stderr.trim() || String(error)}`);
  }
}

/** The pids of every process inside a host's namespace (none once it is gone). */
export function pidsIn(namespace: string): number[] {
  return ip(["netns", "pids", namespace], { quiet: true })
    .split("\n")
    .map((line) => Number(line.trim()))
    .filter((pid) => Number.isInteger(pid) && pid > 0);
}

/** kill -9 of every process in the namespace, all in one go: the host's power cord pulled. Returns the pids hit. */
export function killEverythingIn(namespace: string): number[] {
  const pids = pidsIn(namespace);
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Gone already.
    }
  }
  return pids;
}

/**
 * Builds the bridge and `count` hosts; what an earlier run left behind is removed first, unless processes still run
 * in it: then another run (npm run shop:hosts, the host-loss check) is using it, and this one refuses to start.
 */
export function setUpNetwork(count: number): HostAddress[] {
  if (count < 1 || count > MAX_HOSTS) throw new BenchConfigError(`--hosts must be 1–${MAX_HOSTS}`);
  const busy = hostNamespaces().filter((namespace) => pidsIn(namespace).length > 0);
  if (busy.length > 0) {
    throw new BenchConfigError(`Processes are running in ${busy.join(", ")}: another run of the hosts is using them. Stop it first (Ctrl-C), or if it is gone: ip netns pids ${busy[0]} | xargs kill -9`);
  }
  tearDownNetwork();
  ip(["link", "add", BRIDGE, "type", "bridge"]);
  ip(["addr", "add", `${GATEWAY}/${PREFIX}`, "dev", BRIDGE]);
  ip(["link", "set", BRIDGE, "up"]);
  const hosts = Array.from({ length: count }, (_, index) => hostAddress(index + 1));
  for (const host of hosts) {
    const inside = `${host.veth}p`;
    ip(["netns", "add", host.namespace]);
    ip(["link", "add", host.veth, "type", "veth", "peer", "name", inside]);
    ip(["link", "set", host.veth, "master", BRIDGE, "up"]);
    ip(["link", "set", inside, "netns", host.namespace]);
    const inNs = (args: string[]) => ip(["-n", host.namespace, ...args]);
    inNs(["link", "set", "lo", "up"]);
    inNs(["link", "set", inside, "name", "eth0"]);
    inNs(["addr", "add", `${host.address}/${PREFIX}`, "dev", "eth0"]);
    inNs(["link", "set", "eth0", "up"]);
    inNs(["route", "add", "default", "via", GATEWAY]);
  }
  return hosts;
}

/**
 * Removes every `ur-host-*` namespace (killing what still runs in it) and the bridge; safe to call any number of times
 * and synchronous, so that it also runs from an exit handler.
 */
export function tearDownNetwork(): void {
  for (const namespace of hostNamespaces()) {
    killEverythingIn(namespace);
    ip(["netns", "del", namespace], { quiet: true });
  }
  // Deleting a namespace deletes the veth ends inside it, and with them their peers on the bridge.
  for (let n = 1; n <= MAX_HOSTS; n += 1) ip(["link", "del", hostAddress(n).veth], { quiet: true });
  ip(["link", "del", BRIDGE], { quiet: true });
}

function hostNamespaces(): string[] {
  return ip(["netns", "list"], { quiet: true })
    .split("\n")
    .map((line) => line.trim().split(/\s+/)[0] ?? "")
    .filter((name) => /^ur-host-\d+$/.test(name));
}
