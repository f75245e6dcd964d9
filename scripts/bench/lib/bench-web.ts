import { setTimeout as sleep } from "node:timers/promises";
import { BenchConfigError, childEnv, webServerCommand, type AppEnv, type WebServerCommand } from "./bench-env";
import { startBenchChild, type ManagedChild } from "./bench-children";
import { createAgent, request } from "./http-client";

/** The benches' web servers: started the way production starts them (bench-env's webServerCommand), from the app dir. */

export type WebServer = { child: ManagedChild; port: number; command: WebServerCommand };

/**
 * Starts the web server of the build in `appDir` on 127.0.0.1:`port` without waiting for it (see waitUntilAnswering).
 * `nodeArgs` go to its node process itself (e.g. `--cpu-prof`).
 */
export function startWebServer(options: {
  name: string;
  appDir: string;
  port: number;
  env: AppEnv;
  logFile: string;
  nodeArgs?: readonly string[];
}): WebServer {
  const command = webServerCommand(options.appDir, options.port, options.nodeArgs);
  const child = startBenchChild({
    name: options.name,
    command: command.command,
    args: command.args,
    cwd: options.appDir,
    env: childEnv({ ...options.env, ...command.env }),
    logFile: options.logFile,
  });
  return { child, port: options.port, command };
}

/** Resolves once the server gives any HTTP answer to a GET of its ready path; rejects if it exits or takes too long. */
export async function waitUntilAnswering(server: WebServer, timeoutMs = 90_000): Promise<void> {
  const agent = createAgent(1);
  const deadline = performance.now() + timeoutMs;
  try {
    while (server.child.isRunning()) {
      const probe = await request({ agent, port: server.port, method: "GET", path: server.command.readyPath, timeoutMs: 30_000 });
      if (probe.status !== 0) return;
      if (performance.now() > deadline) {
        throw new Error(`${server.child.name} did not answer on 127.0.0.1:${server.port} within ${timeoutMs / 1000} s:\n${server.child.tail(30)}`);
      }
      await sleep(200);
    }
    throw new Error(`${server.child.name} exited before it answered on 127.0.0.1:${server.port}:\n${server.child.tail(30)}`);
  } finally {
    agent.destroy();
  }
}

export async function assertPortFree(port: number): Promise<void> {
  const agent = createAgent(1);
  const probe = await request({ agent, port, method: "GET", path: "/", timeoutMs: 1_000 });
  agent.destroy();
  if (probe.status !== 0) throw new BenchConfigError(`Something already answers on 127.0.0.1:${port}; stop it or pass --port`);
}
