import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";

/**
 * Child processes of the tests and tools (the integration tests' worker processes; the benchmarks' workers, web
 * servers, migrations and builds), all supervised one way. Each runs in a process group of its own (`detached`), so
 * that Ctrl-C in a terminal reaches only the parent, which then stops its children in order, and so that one SIGKILL
 * takes down a launcher together with what it launched (tsx and the node process it runs the script in, `next start`
 * and its helpers): how a crash is staged, and how leftovers are cleaned up. Whatever still runs when the parent
 * exits, for any reason, is killed by process group.
 *
 * No imports beyond Node's own: test files load this before the app's env is parsed, and the benchmarks run it from
 * scripts/.
 */

export type ExitStatus = { code: number | null; signal: NodeJS.Signals | null };

export type StartChildOptions = {
  name: string;
  command: string;
  args: readonly string[];
  cwd?: string;
  env: NodeJS.ProcessEnv;
  /** Every byte of its output (stdout and stderr) is appended to this file too. */
  logFile?: string;
  /** Also print its output, each line prefixed with its name. */
  echo?: boolean;
  /** Each line of its output, stdout's and stderr's, as it arrives (before any wait is checked again). */
  onLine?: (line: string) => void;
};

export type WaitOptions = { timeoutMs: number; waitingFor: string; details?: () => string };

const MAX_KEPT_OUTPUT = 256 * 1024;
const running = new Set<SupervisedChild>();
let exitHookInstalled = false;

/** Starts `command` in a process group of its own, its output piped (and kept, logged, echoed as asked). */
export function startChild(options: StartChildOptions): SupervisedChild {
  installExitHook();
  const child = new SupervisedChild(options);
  running.add(child);
  void child.exited.then(() => running.delete(child));
  return child;
}

/** A child process started by startChild, in a process group of its own. */
export class SupervisedChild {
  readonly name: string;
  /** The pid of the process started, which is also its process group's id. */
  readonly pid: number;
  readonly logFile: string | undefined;
  /** Resolves when the process started exits (others in its group may outlive it by a moment). */
  readonly exited: Promise<ExitStatus>;
  private output = "";
  private exitStatus: ExitStatus | undefined;
  /** Waits to check again after each piece of output and at the exit. */
  private readonly listeners = new Set<() => void>();
  private readonly log: fs.WriteStream | undefined;

  constructor(private readonly options: StartChildOptions) {
    this.name = options.name;
    this.logFile = options.logFile;
    if (options.logFile) {
      fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
      this.log = fs.createWriteStream(options.logFile, { flags: "a" });
    }
    const child = spawn(options.command, [...options.args], {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    if (child.pid === undefined) throw new Error(`Could not start ${options.name}: ${options.command}`);
    this.pid = child.pid;
    this.follow(child.stdout);
    this.follow(child.stderr);
    this.exited = new Promise<ExitStatus>((resolve) => {
      const settle = (status: ExitStatus) => {
        if (this.exitStatus) return;
        this.exitStatus = status;
        this.notify();
        // Let the pipes drain into the log before closing it.
        setTimeout(() => this.log?.end(), 50);
        resolve(status);
      };
      child.on("exit", (code, signal) => settle({ code, signal }));
      child.on("error", (error) => {
        this.output += `\n[supervisor] could not run ${options.command}: ${error.message}\n`;
        settle({ code: 127, signal: null });
      });
    });
  }

  isRunning(): boolean {
    return this.exitStatus === undefined;
  }

  /** The last lines of its output, for error messages. */
  tail(lines = 20): string {
    return this.output.split("\n").slice(-lines - 1).join("\n");
  }

  /**
   * Resolves with what `find` returns once that is defined (asked now and after each piece of output); rejects if the
   * process exits first or `timeoutMs` passes, naming `waitingFor` and adding `details()`.
   */
  waitFor<T>(find: () => T | undefined, wait: WaitOptions): Promise<T> {
    return new Promise((resolve, reject) => {
      const details = () => (wait.details ? `:\n${wait.details()}` : "");
      const check = () => {
        const found = find();
        if (found !== undefined) return finish(() => resolve(found));
        const status = this.exitStatus;
        if (status) finish(() => reject(new Error(`${this.name} exited (${describeExit(status)}) before ${wait.waitingFor}${details()}`)));
      };
      const timer = setTimeout(
        () => finish(() => reject(new Error(`Timed out after ${wait.timeoutMs} ms waiting for ${this.name}: ${wait.waitingFor}${details()}`))),
        wait.timeoutMs,
      );
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        this.listeners.delete(check);
        settle();
      };
      this.listeners.add(check);
      check();
    });
  }

  /** Resolves with the matching text once its output matches; rejects as waitFor does. */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<string> {
    return this.waitFor(() => pattern.exec(this.output)?.[0], {
      timeoutMs,
      waitingFor: `output matching ${pattern}`,
      details: () => this.tail(30),
    });
  }

  /** Sends `signal` to `target` (its own pid by default) and, should that process be gone already, to its own. */
  signal(signal: NodeJS.Signals, target = this.pid): void {
    try {
      process.kill(target, signal);
    } catch {
      if (target === this.pid) return; // exited meanwhile
      try {
        process.kill(this.pid, signal);
      } catch {
        // Exited meanwhile.
      }
    }
  }

  /**
   * A graceful stop: `signal` (SIGTERM) to `pid` (its own by default), up to `timeoutMs` (30 s) for it to exit, then
   * SIGKILL of its whole group (`forced`). Whatever it leaves behind in its group is killed either way.
   */
  async stop(options: { signal?: NodeJS.Signals; pid?: number; timeoutMs?: number } = {}): Promise<ExitStatus & { forced: boolean }> {
    if (this.exitStatus) return { ...this.exitStatus, forced: false };
    this.signal(options.signal ?? "SIGTERM", options.pid);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), options.timeoutMs ?? 30_000);
    });
    const first = await Promise.race([this.exited, timedOut]);
    clearTimeout(timer);
    this.killGroup(); // after a clean exit: anything it left behind in its group
    if (first !== "timeout") return { ...first, forced: false };
    return { ...(await this.exited), forced: true };
  }

  /** SIGKILL of its whole process group, at once (synchronous: also usable on the way out). */
  killGroup(): void {
    killGroup(this.pid);
  }

  /** `kill -9` of the whole group, as a crash or an OOM kill would; resolves once no process of it is left. */
  async crash(): Promise<ExitStatus> {
    this.killGroup();
    const status = await this.exited;
    await this.gone();
    return status;
  }

  /** Resolves once it exited and no process of its group is left (SIGKILLs the rest and fails after `timeoutMs`). */
  async gone(timeoutMs = 10_000): Promise<void> {
    await this.exited;
    const deadline = Date.now() + timeoutMs;
    while (groupIsAlive(this.pid)) {
      if (Date.now() > deadline) {
        this.killGroup();
        throw new Error(`Processes of ${this.name}'s group ${this.pid} were still running ${timeoutMs} ms after it exited`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  /** Keeps, logs and echoes a stream's output, and hands it on line by line. */
  private follow(stream: Readable): void {
    let partial = "";
    stream.on("data", (chunk: Buffer) => {
      this.log?.write(chunk);
      const text = chunk.toString("utf8");
      if (this.options.echo) process.stdout.write(text.replace(/^(?=.)/gm, `  [${this.name}] `));
      this.output = (this.output + text).slice(-MAX_KEPT_OUTPUT);
      const lines = (partial + text).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) this.options.onLine?.(line.replace(/\r$/, ""));
      this.notify();
    });
    stream.on("end", () => {
      if (partial) this.options.onLine?.(partial);
      partial = "";
      this.notify();
    });
  }
}

/** The children started by this process that have not exited yet. */
export function runningChildren(): SupervisedChild[] {
  return [...running];
}

/** Last resort, synchronous: kills the process group of every child still running. */
export function killAllChildrenNow(): void {
  for (const child of running) child.killGroup();
}

export function describeExit(status: ExitStatus): string {
  return status.signal ? `signal ${status.signal}` : `exit code ${status.code}`;
}

/** Should this process die without stopping its children (a test file without its afterAll, a bench killed), take them along. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", killAllChildrenNow);
}

function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, "SIGKILL");
  } catch {
    // The group is empty already.
  }
}

/**
 * Whether any process of the group still runs. On Linux, reads /proc so that zombies (dead, waiting for init to reap
 * them) do not count; elsewhere, asks the kernel whether the group exists at all.
 */
function groupIsAlive(pgid: number): boolean {
  try {
    const pids = fs.readdirSync("/proc").filter((entry) => /^\d+$/.test(entry));
    return pids.some((pid) => {
      try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
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

/** `promise`, or a rejection naming `what()` after `timeoutMs`. */
export async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: () => string): Promise<T> {
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
