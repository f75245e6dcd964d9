import fs from "node:fs";
import path from "node:path";
import { checkBenchDatabaseUrl, checkBenchRedisUrl, RESULTS_DIR } from "./bench-env";
import { lockBenchDatabase } from "./bench-db";
import { reapLeftoverChildren, trackChildrenIn } from "./bench-children";
import { fileTimestamp } from "./report";

export type BenchRun = { bench: string; startedAt: Date; databaseName: string; runId: string; logDir: string };

/**
 * How every benchmark begins: refuse a database or Redis (if it uses one) that is not the bench's, name the run and make its log
 * folder, hold the bench database's lock (two runs at once would measure each other), and stop whatever processes an
 * earlier run of the same bench left behind.
 */
export async function beginBenchRun(bench: string, urls: { databaseUrl: string; redisUrl?: string }): Promise<BenchRun> {
  const startedAt = new Date();
  const databaseName = checkBenchDatabaseUrl(urls.databaseUrl);
  // A bench of PostgreSQL alone (pg-checkout) uses no Redis.
  if (urls.redisUrl !== undefined) checkBenchRedisUrl(urls.redisUrl);
  const runId = `${bench}-${fileTimestamp(startedAt)}-${process.pid}`;
  const logDir = path.join(RESULTS_DIR, "logs", runId);
  fs.mkdirSync(logDir, { recursive: true });

  await lockBenchDatabase(urls.databaseUrl, databaseName);
  const pidFile = path.join(RESULTS_DIR, ".pids", `${bench}.json`);
  const reaped = reapLeftoverChildren(pidFile);
  if (reaped.length > 0) console.log(`Stopped processes left behind by an earlier run: ${reaped.join(", ")}`);
  trackChildrenIn(pidFile, runId);
  return { bench, startedAt, databaseName, runId, logDir };
}
