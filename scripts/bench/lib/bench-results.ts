import path from "node:path";
import { REPO_ROOT } from "./bench-env";
import type { BenchRun } from "./bench-run";
import { gitInfo, machineInfo, writeResults } from "./report";

/**
 * Writes a bench's results (see writeResults): who ran what, when, where and on which PostgreSQL, then the bench's
 * own figures; says where they are.
 */
export function writeBenchResults(
  run: BenchRun,
  header: { label: string | null; postgres: Record<string, string> },
  figures: Record<string, unknown>,
): string {
  const file = writeResults(run.bench, run.startedAt, {
    benchmark: run.bench,
    runId: run.runId,
    label: header.label,
    startedAt: run.startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: machineInfo(),
    git: gitInfo(),
    postgres: header.postgres,
    ...figures,
  });
  console.log(`\nResults: ${path.relative(REPO_ROOT, file)} (and bench/results/latest-${run.bench}.json)`);
  return file;
}

/** After the results are written: exit code 1 when a check failed (the bench still reported what it measured). */
export function failUnless(ok: boolean, message = "✗ An invariant is broken (see above)."): void {
  if (ok) return;
  console.error(message);
  process.exitCode = 1;
}
