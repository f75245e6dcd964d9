import path from "node:path";
import { failUnless } from "../lib/bench-results";
import { machineInfo, table, writeResults } from "../lib/report";
import type { QueryTiming } from "./run";
import { SEARCH_BUDGET_MS } from "./options";

/**
 * The table, then bench/results/admin-monitor-<time>.json (and latest-admin-monitor.json); exit code 1 when a search
 * found the wrong thing or took more than its budget.
 */
export function reportAdminMonitor(run: { startedAt: Date; sagas: number; results: QueryTiming[] }): void {
  console.log(`\nAdmin monitor queries with ${run.sagas.toLocaleString("en-US")} sagas (ms)`);
  const verdict = (r: QueryTiming) => (r.found === undefined ? "" : !r.found ? "✗ wrong result" : r.withinBudget ? "✓" : `✗ over ${SEARCH_BUDGET_MS} ms`);
  console.log(
    table(["query", "median", "slowest", "search"], run.results.map((r) => [r.query, String(r.medianMs), String(r.maxMs), verdict(r)]), {
      alignLeft: true,
    }),
  );
  const file = writeResults("admin-monitor", run.startedAt, { startedAt: run.startedAt, sagas: run.sagas, machine: machineInfo(), results: run.results });
  console.log(`\nResults: ${path.relative(process.cwd(), file)}`);
  const searches = run.results.filter((r) => r.found !== undefined);
  failUnless(
    searches.every((r) => r.found && r.withinBudget),
    `✗ Every search must find what it should within ${SEARCH_BUDGET_MS} ms (median): see the table above.`,
  );
}
