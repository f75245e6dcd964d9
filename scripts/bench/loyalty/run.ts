import fs from "node:fs";
import path from "node:path";
import { installCleanup, type ManagedChild } from "../lib/bench-children";
import { clientPort, migrateBenchDatabase } from "../lib/bench-db";
import { applyToThisProcess, productionShopEnv, REPO_ROOT } from "../lib/bench-env";
import { beginBenchRun, type BenchRun } from "../lib/bench-run";
import { cpuSnapshot } from "../lib/proc-cpu";
import { printInvariants, step, type InvariantResult } from "../lib/report";
import { statementCounts } from "../lib/server-stats";
import type { LoyaltyOptions } from "./options";
import type { LoyaltyReport } from "./report";
import type { PhaseProbe } from "./throughput";

export type LoyaltyRun = { run: BenchRun; postgres: Record<string, string>; report: LoyaltyReport; invariants: InvariantResult[]; ok: boolean };

/**
 * Prepares the database, runs the worker phases (throughput, lag) and the rebuild as asked, and checks what each
 * left behind. The app's modules (and the phases, which import them) load only once this process's environment is
 * the bench's.
 */
export async function runLoyalty(options: LoyaltyOptions): Promise<LoyaltyRun> {
  const run = await beginBenchRun("loyalty", options);
  const counterDir = path.join(run.logDir, "statements");
  fs.mkdirSync(counterDir, { recursive: true });
  const workerPhasesS = options.throughput ? options.timeoutS + options.rates.length * (options.rateDurationS + 90) : 0;
  const rebuildS = options.rebuild ? (options.rebuildEvents / 1_000) * (options.profileRebuild ? 2 : 1) : 0;
  installCleanup({ timeLimitMs: (workerPhasesS + rebuildS + 600) * 1000 });

  const appEnv = productionShopEnv(options);
  // This process publishes as the outbox relay would, and runs the rebuild as `npm run loyalty:rebuild` would.
  applyToThisProcess({ ...appEnv, LOG_LEVEL: "warn", DATABASE_POOL_SIZE: "4" });

  console.log(`Loyalty benchmark — ${run.runId}`);
  console.log(`  logs: ${path.relative(REPO_ROOT, run.logDir)}/`);
  step(`Preparing database ${run.databaseName} and Redis ${options.redisUrl}`);
  await migrateBenchDatabase(appEnv, run.logDir);
  const { prepareLoyaltyBench } = await import("./prepare");
  const bench = await prepareLoyaltyBench(options);

  const workers: ManagedChild[] = [];
  const probe: PhaseProbe = {
    cpu: () =>
      cpuSnapshot({
        roots: Object.fromEntries(workers.filter((worker) => worker.isRunning()).map((worker) => [worker.name, worker.pid])),
        databaseName: run.databaseName,
        ownClientPorts: { "postgres (bench's polling)": [clientPort(bench.admin), clientPort(bench.poller)] },
      }),
    workerStatements: () => statementCounts(counterDir, "worker-").total,
  };
  const report: LoyaltyReport = { throughput: null, lag: [], rebuild: null, rebuildProfile: null, seeded: null, workerLog: null };
  const invariants: InvariantResult[] = [];

  if (options.throughput) {
    const { runWorkerPhases } = await import("./worker-phases");
    const { invariants: checked, ...measured } = await runWorkerPhases({ options, appEnv, logDir: run.logDir, counterDir, bench, probe, workers });
    Object.assign(report, measured);
    invariants.push(...checked);
  }
  if (options.rebuild) {
    const { runRebuildPhase } = await import("./rebuild-phase");
    const { invariants: checked, ...measured } = await runRebuildPhase({ options, bench, probe, logDir: run.logDir });
    Object.assign(report, measured);
    invariants.push(...checked);
  }

  step("Checks");
  const ok = printInvariants(invariants);
  await bench.close();
  return { run, postgres: bench.postgres, report, invariants, ok };
}
