import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { REPO_ROOT, RESULTS_DIR } from "../lib/bench-env";
import { fmt, step, table, writeResults } from "../lib/report";
import type { LevelResult } from "./level-result";

/**
 * `--partitions 1,2,3`: the whole saga bench once per partition count, one run after the other, each a process of its
 * own (the app's modules read SAGA_QUEUE_PARTITIONS as they load, in this process as in the workers), with the same
 * command line otherwise; then one table side by side, and bench/results/saga-partitions-<time>.json.
 */
export async function comparePartitions(counts: readonly number[]): Promise<void> {
  const startedAt = new Date();
  const runs: { partitions: number; file: string | null; levels: LevelResult[]; exitCode: number }[] = [];
  for (const partitions of counts) {
    step(`Running the saga bench with SAGA_QUEUE_PARTITIONS=${partitions}`);
    const exitCode = await runOne(partitions);
    const latest = path.join(RESULTS_DIR, "latest-saga.json");
    // A run that failed before it wrote its results leaves the previous run's file: only a fresh one counts.
    const fresh = fs.existsSync(latest) && fs.statSync(latest).mtime >= startedAt;
    const result = fresh ? (JSON.parse(fs.readFileSync(latest, "utf8")) as { runId: string; levels: LevelResult[]; settings: { partitions: number[] | null } }) : null;
    const ours = result?.settings.partitions?.[0] === partitions ? result : null;
    runs.push({ partitions, file: ours?.runId ?? null, levels: ours?.levels ?? [], exitCode });
  }

  console.log("\nPartitions compared (latency: start call → saga finished; ms; Redis cmds per saga, every command counted)");
  console.log(
    table(
      ["partitions", "clients", "sagas/s", "p50", "p95", "machine%", "workers%", "postgres%", "redis%", "Redis cmds"],
      runs.flatMap((run) =>
        run.levels.length === 0
          ? [[String(run.partitions), "–", `failed (exit ${run.exitCode})`, "", "", "", "", "", "", ""]]
          : run.levels.map((level) => [
              String(run.partitions),
              String(level.clients),
              fmt(level.sagasPerSecond),
              fmt(level.latencyMs.p50),
              fmt(level.latencyMs.p95),
              fmt(level.cpu.machineBusyPercent),
              fmt(groupPercent(level, "worker")),
              fmt(groupPercent(level, "postgres (bench db)")),
              fmt(groupPercent(level, "redis")),
              fmt(level.perSaga.redisCommands.total, 1),
            ]),
      ),
    ),
  );
  const file = writeResults("saga-partitions", startedAt, {
    benchmark: "saga-partitions",
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    arguments: process.argv.slice(2),
    runs: runs.map(({ partitions, file: runId, exitCode, levels }) => ({
      partitions,
      runId,
      exitCode,
      levels: levels.map((level) => ({
        clients: level.clients,
        sagasPerSecond: level.sagasPerSecond,
        latencyMs: level.latencyMs,
        machineBusyPercent: level.cpu.machineBusyPercent,
        percentByGroup: level.cpu.percentByGroup,
        redisCommandsPerSaga: level.perSaga.redisCommands.total,
      })),
    })),
  });
  console.log(`\nResults: ${path.relative(REPO_ROOT, file)} (each run's own file is named by its run id above)`);
  if (runs.some((run) => run.exitCode !== 0)) process.exitCode = 1;
}

/** The CPU of the process groups whose name contains `word` (e.g. "redis", "worker"), in % of one core. */
function groupPercent(level: LevelResult, word: string): number {
  return Object.entries(level.cpu.percentByGroup)
    .filter(([group]) => group.toLowerCase().includes(word))
    .reduce((sum, [, percent]) => sum + percent, 0);
}

/** This bench again, with the same arguments but one partition count; resolves with its exit code. */
function runOne(partitions: number): Promise<number> {
  const args = withoutPartitions(process.argv.slice(2));
  const child = spawn(path.join(REPO_ROOT, "node_modules", ".bin", "tsx"), [path.join(REPO_ROOT, "scripts/bench/saga.ts"), ...args, "--partitions", String(partitions)], {
    cwd: REPO_ROOT,
    stdio: "inherit",
  });
  const stop = () => child.kill("SIGINT");
  process.once("SIGINT", stop);
  return new Promise((resolve) =>
    child.on("exit", (code, signal) => {
      process.off("SIGINT", stop);
      resolve(code ?? (signal ? 1 : 0));
    }),
  );
}

/** The command line without its `--partitions` (either `--partitions X` or `--partitions=X`). Pure. */
export function withoutPartitions(args: readonly string[]): string[] {
  const kept: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    if (arg === "--partitions") index += 1;
    else if (!arg.startsWith("--partitions=")) kept.push(arg);
  }
  return kept;
}
