import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/**
 * Child processes of a benchmark (workers, the web server, a build). Each runs in a process group of its own, so that
 * Ctrl-C in the terminal reaches only the bench, which then stops its children in order; whatever is still running
 * when the bench exits, for any reason, is killed by process group. A pid file lets the next run reap children left
 * behind by a bench that was itself killed with SIGKILL (only processes that carry this bench's run marker).
 */

export type ExitInfo = { code: number | null; signal: NodeJS.Signals | null };

export type ManagedChild = {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  readonly exited: Promise<ExitInfo>;
  isRunning(): boolean;
  /** Resolves with the matching text once the output matches; rejects if the child exits or time runs out first. */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<string>;
  /** Sends `signal` to the child, waits up to `timeoutMs`, then kills its whole process group. */
  stop(options?: { signal?: NodeJS.Signals; timeoutMs?: number }): Promise<ExitInfo & { forced: boolean }>;
  /** The last lines of its output, for error messages. */
  tail(lines?: number): string;
};

const MAX_KEPT_OUTPUT = 256 * 1024;
const running = new Set<ManagedChild>();
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
  const entries = [...running].map((child) => ({ pid: child.pid, name: child.name, runId: runMarker }));
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

export function startChild(options: {
  name: string;
  command: string;
  args: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  logFile: string;
  /** Also print its output, prefixed with its name. */
  echo?: boolean;
}): ManagedChild {
  fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
  const log = fs.createWriteStream(options.logFile, { flags: "a" });
  const child: ChildProcess = spawn(options.command, [...options.args], {
    cwd: options.cwd,
    env: { ...options.env, ...(runMarker ? { BENCH_RUN_ID: runMarker } : {}) },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (child.pid === undefined) throw new Error(`Could not start ${options.name}: ${options.command}`);
  const pid = child.pid;

  let output = "";
  let exitInfo: ExitInfo | undefined;
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    log.write(chunk);
    const text = chunk.toString("utf8");
    if (options.echo) process.stdout.write(text.replace(/^(?=.)/gm, `  [${options.name}] `));
    output = (output + text).slice(-MAX_KEPT_OUTPUT);
    for (const listener of [...listeners]) listener();
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);

  const exited = new Promise<ExitInfo>((resolve) => {
    child.on("exit", (code, signal) => {
      exitInfo = { code, signal };
      running.delete(managed);
      savePidFile();
      for (const listener of [...listeners]) listener();
      // Let the pipes drain into the log before closing it.
      setTimeout(() => log.end(), 50);
      resolve(exitInfo);
    });
    child.on("error", (error) => {
      output += `\n[bench] could not run ${options.command}: ${error.message}\n`;
      exitInfo = { code: 127, signal: null };
      running.delete(managed);
      savePidFile();
      for (const listener of [...listeners]) listener();
      resolve(exitInfo);
    });
  });

  const managed: ManagedChild = {
    name: options.name,
    pid,
    logFile: options.logFile,
    exited,
    isRunning: () => exitInfo === undefined,
    waitForOutput(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(output);
          if (match) return finish(() => resolve(match[0]));
          const exit = exitInfo;
          if (exit) {
            return finish(() =>
              reject(new Error(`${options.name} exited (${describeExit(exit)}) before it was ready:\n${managed.tail(30)}`)),
            );
          }
        };
        const timer = setTimeout(
          () => finish(() => reject(new Error(`${options.name} was not ready after ${timeoutMs} ms:\n${managed.tail(30)}`))),
          timeoutMs,
        );
        const finish = (settle: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          settle();
        };
        listeners.add(check);
        check();
      });
    },
    async stop(stopOptions = {}) {
      if (exitInfo) return { ...exitInfo, forced: false };
      const signal = stopOptions.signal ?? "SIGTERM";
      try {
        process.kill(pid, signal);
      } catch {
        // Exited meanwhile.
      }
      const timeoutMs = stopOptions.timeoutMs ?? 30_000;
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), timeoutMs);
      });
      const first = await Promise.race([exited, timedOut]);
      clearTimeout(timer);
      if (first !== "timeout") {
        killGroup(pid); // anything it left behind in its group
        return { ...first, forced: false };
      }
      killGroup(pid);
      return { ...(await exited), forced: true };
    },
    tail(lines = 20) {
      return output.split("\n").slice(-lines - 1).join("\n");
    },
  };
  running.add(managed);
  savePidFile();
  return managed;
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // The group is empty already.
  }
}

export function describeExit(exit: ExitInfo): string {
  return exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
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

/** Stops every running child gracefully (in parallel), then kills what is left. */
export async function stopAllChildren(timeoutMs = 30_000): Promise<void> {
  stoppingAll = true;
  await Promise.all([...running].map((child) => child.stop({ timeoutMs })));
}

/** Last resort, synchronous: kills the process group of every child still running. */
export function killAllChildrenNow(): void {
  stoppingAll = true;
  for (const child of running) killGroup(child.pid);
  running.clear();
  savePidFile();
}

/** Runs a command to completion (e.g. a migration or a build), its output in `logFile`; throws with its tail if it fails. */
export async function runToCompletion(options: {
  name: string;
  command: string;
  args: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  logFile: string;
  timeoutMs: number;
}): Promise<void> {
  const child = startChild(options);
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
