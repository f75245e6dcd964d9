import path from "node:path";
import { startChild, type ExitStatus, type SupervisedChild } from "./child-process";
import { integrationServices } from "./test-databases";

/**
 * Checkout worker processes for integration tests, started exactly as production starts them
 * (`tsx workers/checkout.ts`), on the tests' own PostgreSQL and Redis databases, with timings short enough for a test.
 * The process handling itself (process groups, output, stop with a timeout, kill -9 of the group) is child-process.ts,
 * which the benchmarks use too; what is particular to workers under test is here.
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
export type { ExitStatus };

export type CheckoutWorker = {
  readonly name: string;
  /** The pid of its tsx launcher (and the id of its process group). */
  readonly pid: number;
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
  /** Resolves once no process of its group is left. */
  gone(): Promise<void>;
};

export type StartWorkerOptions = {
  name?: string;
  /** Which worker process: `workers/<script>.ts`. */
  script?: "checkout" | "loyalty";
  /** Extra environment, e.g. `{ RESERVATION_TTL_SECONDS: "1" }` or `{ CHECKOUT_WORKER_CONCURRENCY: "4" }`. */
  env?: Record<string, string>;
};

const spawned = new Set<CheckoutWorker>();
let counter = 0;

/** Starts one checkout worker process; resolves once it logged "Worker process started". */
export async function startCheckoutWorker(options: StartWorkerOptions = {}): Promise<CheckoutWorker> {
  const { databaseUrl, redisUrl } = integrationServices();
  counter += 1;
  const script = options.script ?? "checkout";
  const name = options.name ?? `${script}-worker-${counter}`;
  const logs: LogLine[] = [];
  const child = startChild({
    name,
    command: TSX,
    args: [path.join(process.cwd(), `workers/${script}.ts`)],
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
    onLine: (text) => logs.push(parseLogLine(text)),
  });
  const worker = checkoutWorker(child, logs);
  spawned.add(worker);
  await worker.waitForLog("Worker process started");
  return worker;
}

function checkoutWorker(child: SupervisedChild, logs: LogLine[]): CheckoutWorker {
  const worker: CheckoutWorker = {
    name: child.name,
    pid: child.pid,
    logs,
    exited: child.exited,
    isRunning: () => child.isRunning(),
    waitForLog: (msg, timeoutMs = DEFAULT_WAIT_MS) =>
      // A worker that dies before logging it fails the wait at once, with its logs.
      child.waitFor(() => logs.find((line) => line.msg === msg), {
        timeoutMs,
        waitingFor: `log line "${msg}"`,
        details: () => describeLogs([worker]),
      }),
    async stop(timeoutMs = DEFAULT_WAIT_MS) {
      if (!child.isRunning()) return child.exited;
      const workerPid = logs.find((line) => typeof line.pid === "number")?.pid as number | undefined;
      const { forced, ...status } = await child.stop({ pid: workerPid, timeoutMs });
      if (forced) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${child.name} to exit after SIGTERM\n${describeLogs([worker])}`);
      return status;
    },
    crash: () => child.crash(),
    gone: () => child.gone(),
  };
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
        await worker.gone();
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
      await worker.gone();
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
        `--- ${worker.name} (pid ${worker.pid}): ${problems.length} warnings/errors (last 20), then the last ${tail} lines`,
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

/** A pino line as an object; anything else (a stack trace, tsx's own words) as `{ text }`. */
export function parseLogLine(text: string): LogLine {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === "object" && parsed !== null ? (parsed as LogLine) : { text };
  } catch {
    return { text };
  }
}
