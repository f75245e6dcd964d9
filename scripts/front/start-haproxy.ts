import net from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { startBenchChild, type ManagedChild } from "../bench/lib/bench-children";
import { childEnv } from "../bench/lib/bench-env";
import { haproxyArgs } from "./front-door";

type Address = { host: string; port: number };

/**
 * Starts HAProxy in the foreground on a checked configuration, as a child of the script (it stops with it), and
 * resolves once it accepts on every one of `listens` (a port someone else holds makes it exit at once: said with its
 * own words).
 */
export async function startHaproxy(options: { configFile: string; cwd: string; logFile: string; listens: readonly Address[] }): Promise<ManagedChild> {
  const haproxy = startBenchChild({
    name: "haproxy",
    command: "haproxy",
    args: haproxyArgs(options.configFile),
    cwd: options.cwd,
    env: childEnv({}),
    logFile: options.logFile,
  });
  const deadline = performance.now() + 10_000;
  for (const address of options.listens) {
    while (!(await accepts(address))) {
      if (!haproxy.isRunning() || performance.now() > deadline) {
        throw new Error(`HAProxy is not listening on ${address.host}:${address.port}:\n${haproxy.tail(20)}`);
      }
      await sleep(100);
    }
  }
  await sleep(200);
  if (!haproxy.isRunning()) throw new Error(`HAProxy stopped:\n${haproxy.tail(20)}`);
  return haproxy;
}

function accepts(address: Address): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ ...address, timeout: 1_000 }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
    socket.on("timeout", () => {
      socket.destroy();
      resolve(false);
    });
  });
}
