import type { BenchRun } from "../lib/bench-run";
import { failUnless, writeBenchResults } from "../lib/bench-results";
import type { CpuUsage } from "../lib/proc-cpu";
import { busyGroups, fmt, summaryCells, table, type InvariantResult } from "../lib/report";
import type { LoyaltyOptions } from "./options";
import type { RebuildProfile, RebuildResult } from "./rebuild";
import type { SeededLog } from "./seed-point-events";
import type { LagResult } from "./steady-lag";
import type { ThroughputResult } from "./throughput";

/** What the loyalty bench measured: printed as tables here, and written as JSON. */
export type LoyaltyReport = {
  throughput: ThroughputResult | null;
  lag: LagResult[];
  seeded: SeededLog | null;
  rebuild: RebuildResult | null;
  rebuildProfile: RebuildProfile | null;
  workerLog: { retriedJobs: number; failedJobs: number; errors: number } | null;
};

export const REBUILD_TARGET_SECONDS = 60;

/** The tables, then bench/results/loyalty-<time>.json (and latest-loyalty.json); exit code 1 if a check failed. */
export function reportLoyalty(
  options: LoyaltyOptions,
  loyalty: { run: BenchRun; postgres: Record<string, string>; report: LoyaltyReport; invariants: InvariantResult[]; ok: boolean },
): void {
  printReport(loyalty.report, { rebuildTargetSeconds: REBUILD_TARGET_SECONDS });
  writeBenchResults(
    loyalty.run,
    { label: options.label, postgres: loyalty.postgres },
    { settings: { ...options, rebuildTargetSeconds: REBUILD_TARGET_SECONDS }, ...loyalty.report, invariants: loyalty.invariants, ok: loyalty.ok },
  );
  failUnless(loyalty.ok, "✗ A correctness check failed (see above).");
}

function printReport(report: LoyaltyReport, options: { rebuildTargetSeconds: number }): void {
  const cpuRows: { phase: string; cpu: CpuUsage }[] = [];
  if (report.throughput) {
    printThroughput(report.throughput, report.workerLog);
    cpuRows.push({ phase: "throughput", cpu: report.throughput.cpu });
  }
  if (report.lag.length > 0) {
    printLag(report.lag);
    for (const lag of report.lag) cpuRows.push({ phase: `lag ${lag.ratePerSecond}/s`, cpu: lag.cpu });
  }
  if (report.rebuild && report.seeded) {
    printRebuild(report.rebuild, report.seeded, options.rebuildTargetSeconds);
    cpuRows.push({ phase: "rebuild", cpu: report.rebuild.cpu });
  }
  if (report.rebuildProfile) {
    printRebuildProfile(report.rebuildProfile);
    cpuRows.push({ phase: "rebuild (profiled)", cpu: report.rebuildProfile.cpu });
  }
  if (cpuRows.length > 0) printCpu(cpuRows);
}

function printThroughput(t: ThroughputResult, workerLog: LoyaltyReport["workerLog"]): void {
  console.log("\nThroughput (everything published at once; seconds from the first publish)");
  console.log(
    table(
      ["purchases", "events", "published/s", "handled/s", "appended/s", "projected/s", "all projected", "tail ms", "rollbacks", "retried jobs"],
      [
        [
          String(t.purchases),
          `${t.eventsAppended}/${t.eventsExpected}`,
          fmt(t.perSecond.published),
          fmt(t.perSecond.handled),
          fmt(t.perSecond.appended),
          fmt(t.perSecond.projected),
          t.seconds.project === null ? "not done" : `${fmt(t.seconds.project, 1)} s`,
          fmt(t.projectionTailMs),
          String(t.rolledBackTransactions),
          workerLog ? String(workerLog.retriedJobs) : "–",
        ],
      ],
    ),
  );
  const perEvent = t.perEvent;
  console.log(
    `  per event: ${fmt(perEvent.pg.xacts, 2)} PG transactions, ${fmt(perEvent.pg.rowsInserted, 1)} rows inserted, ` +
      `${fmt(perEvent.pg.walKiB, 1)} kB WAL, ${fmt(perEvent.workerStatements, 1)} worker statements; ` +
      `peak projection backlog ${Math.max(0, ...Object.values(t.peakPendingEvents))} events; ` +
      `longest stream ${t.longestStreams[0]?.events ?? 0} events`,
  );
}

function printLag(lags: readonly LagResult[]): void {
  console.log("\nLag under a steady purchase rate (ms; visible = published → its points-history row exists)");
  console.log(
    table(
      ["rate/s", "achieved", "seen", "visible p50", "p95", "p99", "max", "→append p50", "p95", "→visible p50", "p95", "lags: pending p95", "behind p95 ms"],
      lags.map((lag) => [
        String(lag.ratePerSecond),
        fmt(lag.achievedRate),
        `${lag.observed}/${lag.published}`,
        ...summaryCells(lag.visibleMs),
        fmt(lag.appendStartMs.p50),
        fmt(lag.appendStartMs.p95),
        fmt(lag.projectionMs.p50),
        fmt(lag.projectionMs.p95),
        fmt(lag.sampledPendingEvents.p95),
        fmt(lag.sampledBehindMs.p95),
      ]),
    ),
  );
}

function printRebuild(r: RebuildResult, seeded: SeededLog, targetSeconds: number): void {
  console.log(`\nRebuild of every projection from the log (target ≤ ${targetSeconds} s)`);
  console.log(
    table(
      ["events", "customers", "seconds", "events/s", "CPU s: bench", "its PostgreSQL", "batch", "target"],
      [
        [
          r.events.toLocaleString("en"),
          seeded.customers.toLocaleString("en"),
          fmt(r.seconds, 1),
          fmt(r.eventsPerSecond),
          // CPU seconds depend far less on the machine's other load than the wall time does.
          fmt(((r.cpu.percentByGroup.bench ?? 0) / 100) * r.cpu.seconds, 1),
          fmt(((r.cpu.percentByGroup["postgres (bench db)"] ?? 0) / 100) * r.cpu.seconds, 1),
          r.batchSize === null ? "app's" : String(r.batchSize),
          r.seconds <= targetSeconds ? "✓ met" : `✗ ${fmt(r.seconds / targetSeconds, 1)}× over`,
        ],
      ],
    ),
  );
}

function printRebuildProfile(p: RebuildProfile): void {
  const pgCpuSeconds = ((p.cpu.percentByGroup["postgres (bench db)"] ?? 0) / 100) * p.cpu.seconds;
  console.log(
    `\nWhere the rebuild's time goes (profiled run: ${p.events.toLocaleString("en")} events in ${fmt(p.seconds, 1)} s; ` +
      `CPU: this process ${fmt(p.benchCpuSeconds, 1)} s, its PostgreSQL backend ${fmt(pgCpuSeconds, 1)} s)`,
  );
  console.log("Waiting on statements (round trip + PostgreSQL + pg parsing the rows):");
  console.log(
    table(
      ["statement", "calls", "seconds", "% of run"],
      Object.entries(p.statements)
        .filter(([, timing]) => timing.seconds >= 0.05)
        .map(([key, timing]) => [key, String(timing.calls), fmt(timing.seconds, 1), fmt((timing.seconds / p.seconds) * 100, 1)]),
    ),
  );
  console.log("\nJavaScript self time in this process during the profiled run ((idle) = waiting on PostgreSQL)");
  console.log(table(["where", "ms", "%"], p.topSelfTime.map((entry) => [entry.where, String(entry.ms), fmt(entry.percent, 1)])));
}

function printCpu(cpuRows: readonly { phase: string; cpu: CpuUsage }[]): void {
  // Groups come and go (workers exist only in the worker phases): every group that used some CPU in some phase.
  const allGroups = busyGroups(cpuRows.map((row) => row.cpu));
  const cores = cpuRows[0]?.cpu.cores ?? 1;
  console.log(`\nCPU, % of one core (${cores * 100} % = all ${cores} cores; "not this bench" = everyone else's load on the machine)`);
  console.log(
    table(
      ["phase", "seconds", ...allGroups, "machine busy %"],
      cpuRows.map((row) => [
        row.phase,
        fmt(row.cpu.seconds, 1),
        ...allGroups.map((group) => fmt(row.cpu.percentByGroup[group], 0)),
        fmt(row.cpu.machineBusyPercent),
      ]),
    ),
  );
}
