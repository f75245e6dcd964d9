import path from "node:path";
import { childEnv, type AppEnv } from "./bench-env";
import { exitIfAnyDies, startBenchChild, type ManagedChild } from "./bench-children";

/** What a worker process logs once it takes jobs (workers/run-worker-process.ts). */
export const WORKER_STARTED = /"msg":"Worker process started"/;

/** The environment that preloads pg-query-counter.cjs into a worker, on top of `workerEnv`'s own NODE_OPTIONS. */
export function statementCounterEnv(counterDir: string, workerEnv: AppEnv): AppEnv {
  return {
    NODE_OPTIONS: `${workerEnv.NODE_OPTIONS ?? ""} --require ${path.join(__dirname, "pg-query-counter.cjs")}`.trim(),
    BENCH_PG_COUNTER_FILE: path.join(counterDir, "worker-%p.json"),
  };
}

export type WorkerProcesses = {
  count: number;
  /** Each is `<name>-<n>`, logging to `<logDir>/<name>-<n>.log`; default `worker`. */
  name?: string;
  /** How production starts one (bench-env's workerCommand). */
  command: { command: string; args: readonly string[] };
  cwd: string;
  env: AppEnv;
  logDir: string;
};

/** Starts `worker-1…N` (each logging to `<logDir>/worker-<n>.log`) without waiting for them. */
export function startWorkerProcesses(options: WorkerProcesses): ManagedChild[] {
  const env = childEnv(options.env);
  const name = options.name ?? "worker";
  return Array.from({ length: options.count }, (_, index) =>
    startBenchChild({
      name: `${name}-${index + 1}`,
      command: options.command.command,
      args: options.command.args,
      cwd: options.cwd,
      env,
      logFile: path.join(options.logDir, `${name}-${index + 1}.log`),
    }),
  );
}

/**
 * Starts the workers and waits until every one takes jobs; from then on the bench fails at once should one die.
 * Returns them and the function to call before stopping them on purpose.
 */
export async function startWorkers(options: WorkerProcesses): Promise<{ workers: ManagedChild[]; stoppingOnPurpose: () => void }> {
  const workers = startWorkerProcesses(options);
  await Promise.all(workers.map((worker) => worker.waitForOutput(WORKER_STARTED, 60_000)));
  const stoppingOnPurpose = exitIfAnyDies(workers);
  console.log(`  ready: ${describeChildren(workers)}`);
  return { workers, stoppingOnPurpose };
}

/** "worker-1 pid 123, worker-2 pid 124" */
export function describeChildren(children: readonly ManagedChild[]): string {
  return children.map((child) => `${child.name} pid ${child.pid}`).join(", ");
}
