import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { integrationServices } from "./test-databases";

/**
 * Checkout worker processes for integration tests, started exactly as production starts them
 * (`tsx workers/checkout.ts`), on the tests' own PostgreSQL and Redis databases, with timings short enough for a test.
 *
 * tsx runs the worker in a child process of its own. It relays a SIGTERM it receives to that child, but if the child
 * does not confirm the signal within 30 ms (a busy event loop, a loaded machine) tsx SIGKILLs it and exits 143: seen
 * here under load. So a graceful stop signals the worker's own node process (its pid is in every log line), which
 * then shuts down as it would under a process manager that signals it directly, and tsx exits with its exit code. A
 * crash must take down both, so each worker is started in a process group of its own and `crash()` sends SIGKILL to
 * the whole group.
 *
 * This module must not import `@/server/env`: test files import it (through useCheckoutTestTimings) before the env is
 * parsed.
 */

const TSX = path.join(process.cwd(), "node_modules/.bin/tsx");
const DEFAULT_WAIT_MS = 30_000;

/** Timings shared by the test process (which starts sagas) and the worker processes (which run them). */
export const CHECKOUT_TEST_TIMINGS = {
  SAGA_SWEEP_INTERVAL_MS: "200",
  SAGA_RECOVER_AFTER_MS: "1500",
  QUEUE_LOCK_DURATION_MS: "2000",
  OUTBOX_RELAY_INTERVAL_MS: "100",
  RESERVATION_TTL_SECONDS: "600",
} as const;

/**
 * Gives the test process (the "web process" of these tests: it starts checkouts through the API) the same saga
 * timings as the workers. Call it before anything imports `@/server/env`, i.e. inside `vi.hoisted`.
 */
export function useCheckoutTestTimings(overrides: Record<string, string> = {}): void {
  Object.assign(process.env, CHECKOUT_TEST_TIMINGS, { DATABASE_POOL_SIZE: "10" }, overrides);
}

export type LogLine = { msg?: string; level?: number; [field: string]: unknown };
export type ExitStatus = { code: number | null; signal: NodeJS.Signals | null };

export type CheckoutWorker = {
  readonly name: string;
  readonly child: ChildProcess;
  /** Every JSON log line so far (and any non-JSON output as `{ text }`). */
  readonly logs: LogLine[];
  readonly exited: Promise<ExitStatus>;
  isRunning(): boolean;
  /** The first log line with this message (seen already or still to come); fails after `timeoutMs`. */
  waitForLog(msg: string, timeoutMs?: number): Promise<LogLine>;
  /** SIGTERM to the worker's process, as a deployment stops it; resolves with the exit status (SIGKILLs and fails if it hangs). */
  stop(timeoutMs?: number): Promise<ExitStatus>;
  /** `kill -9` of the worker and its tsx parent, as a crash or an OOM kill would; resolves once it is gone. */
  crash(): Promise<ExitStatus>;
};

export type StartWorkerOptions = {
  name?: string;
  /** Which worker process: `workers/<script>.ts`. */
  script?: "checkout" | "loyalty";
  /** Extra environment, e.g. `{ RESERVATION_TTL_SECONDS: "1" }` or `{ CHECKOUT_WORKER_CONCURRENCY: "4" }`. */
  env?: Record<string, string>;
};

const spawned = new Set<CheckoutWorker>();
let exitHookInstalled = false;
let counter = 0;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Should the test process die without its afterAll, take the workers along instead of leaving them running.
  process.once("exit", () => {
    for (const worker of spawned) if (worker.isRunning()) killGroup(worker.child, "SIGKILL");
  });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/** Starts one checkout worker process; resolves once it logged "Worker process started". */
export async function startCheckoutWorker(options: StartWorkerOptions = {}): Promise<CheckoutWorker> {
  installExitHook();
  const { databaseUrl, redisUrl } = integrationServices();
  counter += 1;
  const script = options.script ?? "checkout";
  const name = options.name ?? `${script}-worker-${counter}`;
  const child = spawn(TSX, [path.join(process.cwd(), `workers/${script}.ts`)], {
    env: {
      ...process.env,
      ...CHECKOUT_TEST_TIMINGS,
      NODE_ENV: "test",
      SHOP_MODE: "test",
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      DATABASE_POOL_SIZE: "5",
      LOG_LEVEL: "info",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
    // A process group of its own, so that crash() can kill tsx and the node process it runs the worker in.
    detached: true,
  });
  const logs: LogLine[] = [];
  const waiters: { msg: string; resolve: (line: LogLine) => void }[] = [];
  const onLine = (text: string) => {
    const line = parseLogLine(text);
    logs.push(line);
    for (const waiter of waiters.filter((candidate) => candidate.msg === line.msg)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(line);
    }
  };
  createInterface({ input: child.stdout! }).on("line", onLine);
  createInterface({ input: child.stderr! }).on("line", (text) => onLine(text));
  const exited = once(child, "exit").then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  const isRunning = () => child.exitCode === null && child.signalCode === null;

  const worker: CheckoutWorker = {
    name,
    child,
    logs,
    exited,
    isRunning,
    waitForLog(msg, timeoutMs = DEFAULT_WAIT_MS) {
      const seen = logs.find((line) => line.msg === msg);
      if (seen) return Promise.resolve(seen);
      const line = new Promise<LogLine>((resolve) => waiters.push({ msg, resolve }));
      // A worker that dies before logging it fails the wait at once, with its logs.
      const died = exited.then((status) => {
        throw new Error(`${name} exited (${JSON.stringify(status)}) before logging "${msg}".\n${describeLogs([worker])}`);
      });
      return withTimeout(Promise.race([line, died]), timeoutMs, () => `${name} to log "${msg}"\n${describeLogs([worker])}`);
    },
    async stop(timeoutMs = DEFAULT_WAIT_MS) {
      if (!isRunning()) return exited;
      const workerPid = logs.find((line) => typeof line.pid === "number")?.pid;
      if (typeof workerPid === "number") {
        try {
          process.kill(workerPid, "SIGTERM");
        } catch {
          child.kill("SIGTERM");
        }
      } else {
        child.kill("SIGTERM");
      }
      try {
        return await withTimeout(exited, timeoutMs, () => `${name} to exit after SIGTERM\n${describeLogs([worker])}`);
      } catch (error) {
        killGroup(child, "SIGKILL");
        await exited;
        throw error;
      }
    },
    async crash() {
      killGroup(child, "SIGKILL");
      const status = await exited;
      await waitForGroupToVanish(child);
      return status;
    },
  };
  spawned.add(worker);
  await worker.waitForLog("Worker process started");
  return worker;
}

/** Starts one loyalty worker process (same handling as a checkout worker: stop, crash, logs). */
export function startLoyaltyWorker(options: Omit<StartWorkerOptions, "script"> = {}): Promise<CheckoutWorker> {
  return startCheckoutWorker({ ...options, script: "loyalty" });
}

/** Starts `count` workers side by side. */
export async function startCheckoutWorkers(count: number, options: StartWorkerOptions = {}): Promise<CheckoutWorker[]> {
  return Promise.all(
    Array.from({ length: count }, (_, index) =>
      startCheckoutWorker({ ...options, name: options.name ? `${options.name}-${index + 1}` : undefined }),
    ),
  );
}

/**
 * Stops every worker this test process started that still runs, gracefully, and checks each stopped cleanly (exit 0,
 * "Worker process stopped" with clean: true). Workers that crashed on purpose are only awaited.
 */
export async function stopAllCheckoutWorkers(): Promise<void> {
  const workers = [...spawned];
  spawned.clear();
  const problems: string[] = [];
  await Promise.all(
    workers.map(async (worker) => {
      if (!worker.isRunning()) {
        await worker.exited;
        await waitForGroupToVanish(worker.child);
        return;
      }
      try {
        const status = await worker.stop();
        const stopped = worker.logs.find((line) => line.msg === "Worker process stopped");
        if (status.code !== 0 || stopped?.clean !== true) {
          problems.push(`${worker.name} exited with ${JSON.stringify(status)}, last words ${JSON.stringify(stopped ?? null)}`);
        }
      } catch (error) {
        problems.push(error instanceof Error ? error.message : String(error));
      }
      await waitForGroupToVanish(worker.child);
    }),
  );
  if (problems.length > 0) throw new Error(`Workers did not stop cleanly:\n${problems.join("\n")}\n${describeLogs(workers)}`);
}

/** The log lines worth reading when a test fails: warnings and errors, then the last lines of each worker. */
export function describeLogs(workers: readonly CheckoutWorker[], tail = 15): string {
  return workers
    .map((worker) => {
      const problems = worker.logs.filter((line) => (line.level ?? 0) >= 40 || line.text !== undefined).slice(-20);
      const last = worker.logs.slice(-tail);
      return [
        `--- ${worker.name} (pid ${worker.child.pid}): ${problems.length} warnings/errors (last 20), then the last ${tail} lines`,
        ...problems.map(formatLine),
        "  ...",
        ...last.map(formatLine),
      ].join("\n");
    })
    .join("\n");
}

/** Log lines of any of these workers at or above a pino level (40 warn, 50 error, 60 fatal). */
export function logsAtLeast(workers: readonly CheckoutWorker[], level: number): LogLine[] {
  return workers.flatMap((worker) => worker.logs.filter((line) => (line.level ?? 0) >= level));
}

function formatLine(line: LogLine): string {
  const text = JSON.stringify(line);
  return `  ${text.length > 600 ? `${text.slice(0, 600)}…` : text}`;
}

function parseLogLine(text: string): LogLine {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === "object" && parsed !== null ? (parsed as LogLine) : { text };
  } catch {
    return { text };
  }
}

/**
 * Whether any process of the group still runs. On Linux, reads /proc so that zombies (dead, waiting for init to reap
 * them) do not count; elsewhere, asks the kernel whether the group exists at all.
 */
function groupIsAlive(pgid: number): boolean {
  try {
    const pids = readdirSync("/proc").filter((entry) => /^\d+$/.test(entry));
    return pids.some((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses, so split after the last ')'.
        const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        return Number(pgrp) === pgid && state !== "Z";
      } catch {
        return false;
      }
    });
  } catch {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  }
}

/** Waits until no process of the worker's group is left (the tsx child may outlive its parent by a moment). */
async function waitForGroupToVanish(child: ChildProcess, timeoutMs = 10_000): Promise<void> {
  if (child.pid === undefined) return;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!groupIsAlive(child.pid)) return;
    if (Date.now() > deadline) {
      killGroup(child, "SIGKILL");
      throw new Error(`Processes of group ${child.pid} were still running ${timeoutMs} ms after the worker exited`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what()}`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
