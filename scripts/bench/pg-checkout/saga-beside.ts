import fs from "node:fs";
import path from "node:path";
import { REPO_ROOT, RESULTS_DIR } from "../lib/bench-env";

/** What the last `npm run bench:saga` on this machine measured, per level: to print beside one-transaction checkouts. */
export type SagaBeside = {
  file: string;
  startedAt: string;
  levels: {
    clients: number;
    sagasPerSecond: number;
    p95Ms: number | null;
    /** Statements sent per saga by the worker and by the starter (checkout.start), and commits per saga. */
    statements: number | null;
    transactions: number | null;
    postgresCpuMs: number | null;
  }[];
};

type SagaResultsFile = {
  startedAt?: string;
  levels?: {
    clients: number;
    sagasPerSecond: number;
    latencyMs?: { p95?: number | null };
    cpu?: { cpuMsPerSaga?: Record<string, number> };
    perSaga?: { workerStatements?: { total?: number }; benchStatements?: { total?: number }; pg?: { xactCommit?: number } };
  }[];
};

/** bench/results/latest-saga.json read back, or null when there is none (or it is not a saga bench's). */
export function readSagaBeside(): SagaBeside | null {
  const file = path.join(RESULTS_DIR, "latest-saga.json");
  let data: SagaResultsFile;
  try {
    data = JSON.parse(fs.readFileSync(file, "utf8")) as SagaResultsFile;
  } catch {
    return null;
  }
  if (!Array.isArray(data.levels)) return null;
  return {
    file: path.relative(REPO_ROOT, file),
    startedAt: data.startedAt ?? "?",
    levels: data.levels.map((level) => {
      const worker = level.perSaga?.workerStatements?.total;
      const starter = level.perSaga?.benchStatements?.total;
      return {
        clients: level.clients,
        sagasPerSecond: level.sagasPerSecond,
        p95Ms: level.latencyMs?.p95 ?? null,
        statements: worker !== undefined && starter !== undefined ? worker + starter : null,
        transactions: level.perSaga?.pg?.xactCommit ?? null,
        postgresCpuMs: level.cpu?.cpuMsPerSaga?.["postgres (bench db)"] ?? null,
      };
    }),
  };
}
