import fs from "node:fs";
import path from "node:path";
import {
  describeExit,
  killAllChildrenNow as killEveryGroup,
  runningChildren,
  startChild,
  type StartChildOptions,
  type SupervisedChild,
} from "@/server/testing/child-process";

/**
 * What a benchmark adds to the shared supervisor (server/testing/child-process.ts, which also runs the integration
 * tests' workers): a pid file, so that the next run can reap children left behind by a bench that was itself killed
 * with SIGKILL (only processes that carry that run's marker); failing the whole bench as soon as a child dies on its
 * own; and a clean way out on Ctrl-C, SIGTERM or a time limit.
 */

export type ManagedChild = SupervisedChild;
export { describeExit };

/** Set once the bench stops its children on its way out: their exits are expected from then on. */
let stoppingAll = false;
let pidFile: string | undefined;
let runMarker = "";

/** Every child started from now on carries `BENCH_RUN_ID=<runId>`; their pids are kept in `file`. */
export function trackChildrenIn(file: string, runId: string): void {
  pidFile = file;
  runMarker = runId;
  fs.mkdirSync(path.dirname(file), { recursive: true });
}

function savePidFile(): void {
  if (!pidFile) return;
  const entries = runningChildren().map((child) => ({ pid: child.pid, name: child.name, runId: runMarker }));
  try {
    if (entries.length === 0) fs.rmSync(pidFile, { force: true });
    else fs.writeFileSync(pidFile, JSON.stringify(entries));
  } catch {
    // Best effort: the pid file only helps clean up after a bench that was killed.
  }
}

/**
 * Kills the children a previous run of this bench left behind (it was killed before it could stop them). A pid is
 * killed only if that process still carries the previous run's marker, so a reused pid is never touched.
 */
export function reapLeftoverChildren(file: string): string[] {
  let entries: { pid: number; name: string; runId: string }[];
  try {
    entries = JSON.parse(fs.readFileSync(file, "utf8")) as typeof entries;
  } catch {
    return [];
  }
  const reaped: string[] = [];
  for (const entry of entries) {
    let environ: string;
    try {
      environ = fs.readFileSync(`/proc/${entry.pid}/environ`, "utf8");
    } catch {
      continue; // gone already
    }
    if (!environ.split("\0").includes(`BENCH_RUN_ID=${entry.runId}`)) continue;
    try {
      process.kill(-entry.pid, "SIGKILL");
      reaped.push(`${entry.name} (pid ${entry.pid})`);
    } catch {
      // Already gone.
    }
  }
  fs.rmSync(file, { force: true });
  return reaped;
}

/** A child of this bench: marked with the run's id and listed in the pid file while it runs. */
export function startBenchChild(options: StartChildOptions & { cwd: string; logFile: string }): ManagedChild {
  const child = startChild({ ...options, env: { ...options.env, ...(runMarker ? { BENCH_RUN_ID: runMarker } : {}) } });
  savePidFile();
  void child.exited.then(savePidFile);
  return child;
}

/**
 * Fails the bench as soon as one of `children` exits on its own (a crashed worker or web server would otherwise only
 * show as sagas that never finish). Call the returned function before stopping them on purpose.
 */
export function exitIfAnyDies(children: readonly ManagedChild[]): () => void {
  let expected = false;
  for (const child of children) {
    void child.exited.then((exit) => {
      if (expected || stoppingAll) return;
      console.error(`\n✗ ${child.name} (pid ${child.pid}) exited unexpectedly (${describeExit(exit)}). Its last lines:\n${child.tail(30)}`);
      console.error(`  (whole log: ${child.logFile})`);
      process.exitCode = 1;
      killAllChildrenNow();
      process.exit(1);
    });
  }
  return () => {
    expected = true;
  };
}

/** Stops `children` gracefully (in parallel) and says how each went. */
export async function stopChildren(children: readonly ManagedChild[], timeoutMs = 35_000): Promise<void> {
  const stops = await Promise.all(children.map(async (child) => ({ child, stop: await child.stop({ timeoutMs }) })));
  for (const { child, stop } of stops) {
    console.log(`  ${child.name}: ${stop.forced ? "killed after the shutdown timeout" : `exited (${stop.signal ?? `code ${stop.code}`})`}`);
  }
}

/** Stops every running child gracefully (in parallel), then kills what is left. */
async function stopAllChildren(timeoutMs: number): Promise<void> {
  stoppingAll = true;
  await Promise.all(runningChildren().map((child) => child.stop({ timeoutMs })));
}

/** Last resort, synchronous: kills the process group of every child still running. */
function killAllChildrenNow(): void {
  stoppingAll = true;
  killEveryGroup();
  // Nothing is left to reap: every group is gone.
  if (pidFile) fs.rmSync(pidFile, { force: true });
}

/** Runs a command to completion (e.g. a migration or a build), its output in `logFile`; throws with its tail if it fails. */
export async function runToCompletion(options: StartChildOptions & { cwd: string; logFile: string; timeoutMs: number }): Promise<void> {
  const child = startBenchChild(options);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), options.timeoutMs);
  });
  const result = await Promise.race([child.exited, timedOut]);
  clearTimeout(timer);
  if (result === "timeout") {
    await child.stop({ timeoutMs: 2_000 });
    throw new Error(`${options.name} took longer than ${options.timeoutMs / 1000} s:\n${child.tail(30)}`);
  }
  if (result.code !== 0) throw new Error(`${options.name} failed (${describeExit(result)}):\n${child.tail(40)}`);
}

/**
 * Makes the process clean up on every way out: Ctrl-C / SIGTERM (graceful stop of the children, then exit 130; a
 * second signal kills them at once), an overall time limit (exit 124), and a plain exit (kills what is left).
 */
export function installCleanup(options: { timeLimitMs: number; onShutdown?: () => Promise<void> }): void {
  let shuttingDown = false;
  let firstSignalAt = 0;
  const shutDown = async (reason: string, exitCode: number) => {
    if (shuttingDown) {
      // npm and tsx pass a terminal's Ctrl-C on as well: a repeat within a second is that same Ctrl-C.
      if (performance.now() - firstSignalAt < 1_500) return;
      console.error(`\n${reason} again: killing child processes now.`);
      killAllChildrenNow();
      process.exit(exitCode);
    }
    shuttingDown = true;
    firstSignalAt = performance.now();
    console.error(`\n${reason}: stopping child processes… (again to kill them at once)`);
    try {
      await options.onShutdown?.();
    } catch {
      // Shutting down anyway.
    }
    await stopAllChildren(10_000);
    process.exit(exitCode);
  };
  process.on("SIGINT", () => void shutDown("Interrupted", 130));
  process.on("SIGTERM", () => void shutDown("Terminated", 143));
  process.on("SIGHUP", () => void shutDown("Hung up", 129));
  process.on("exit", killAllChildrenNow);
  const limit = setTimeout(
    () => void shutDown(`Time limit of ${Math.round(options.timeLimitMs / 1000)} s exceeded`, 124),
    options.timeLimitMs,
  );
  limit.unref();
}
