import path from "node:path";
import { machineInfo, table, writeResults } from "../lib/report";
import type { QueryTiming } from "./run";

/** The table, then bench/results/admin-monitor-<time>.json (and latest-admin-monitor.json). */
export function reportAdminMonitor(run: { startedAt: Date; sagas: number; results: QueryTiming[] }): void {
  console.log(`\nAdmin monitor queries with ${run.sagas.toLocaleString("en-US")} sagas (ms)`);
  console.log(table(["query", "median", "slowest"], run.results.map((r) => [r.query, String(r.medianMs), String(r.maxMs)]), { alignLeft: true }));
  const file = writeResults("admin-monitor", run.startedAt, { startedAt: run.startedAt, sagas: run.sagas, machine: machineInfo(), results: run.results });
  console.log(`\nResults: ${path.relative(process.cwd(), file)}`);
}
