import { failUnless, writeBenchResults } from "../lib/bench-results";
import { busyGroups, fmt, table } from "../lib/report";
import type { PgCheckoutLevel } from "./level";
import type { PgCheckoutOptions } from "./options";
import type { PgCheckoutRun } from "./run";
import { readSagaBeside, type SagaBeside } from "./saga-beside";

/** The one line printed as each level ends. */
export function printLevelLine(level: PgCheckoutLevel): void {
  console.log(
    `  ${level.case.padEnd(6)} C=${String(level.clients).padStart(3)}  ${fmt(level.checkoutsPerSecond)} checkouts/s   ` +
      `latency p50 ${fmt(level.latencyMs.p50, 1)} ms, p95 ${fmt(level.latencyMs.p95, 1)} ms   ` +
      `PostgreSQL ${fmt(level.cpu.cpuMsPerCheckout["postgres (bench db)"], 2)} ms CPU each   machine ${fmt(level.cpu.machineBusyPercent)} % busy` +
      (level.failed > 0 ? `   ${level.failed} failed` : ""),
  );
}

/** The tables, the comparison with the saga bench, then bench/results/pg-checkout-<time>.json; exit 1 if a check broke. */
export function reportPgCheckout(options: PgCheckoutOptions, result: PgCheckoutRun): void {
  const saga = readSagaBeside();
  printTables(result.levels);
  const headroom = printHeadroom(result.levels, saga);
  writeBenchResults(
    result.run,
    { label: options.label, postgres: result.postgres },
    {
      settings: { ...options, pgbench: result.pgbench, script: "scripts/bench/pg-checkout/checkout.sql", queryMode: "prepared" },
      levels: result.levels,
      sagaBeside: saga,
      headroom,
      invariants: result.invariants,
      ok: result.ok,
    },
  );
  failUnless(result.ok);
}

function printTables(levels: readonly PgCheckoutLevel[]): void {
  console.log("\nOne-transaction checkouts (latency: BEGIN → COMMIT as pgbench saw it; ms)");
  console.log(
    table(
      ["case", "clients", "checkouts/s", "p50", "p95", "p99", "max", "commits", "WAL kB", "WAL fsyncs", "machine%"],
      levels.map((level) => [
        level.case,
        String(level.clients),
        fmt(level.checkoutsPerSecond),
        ...[level.latencyMs.p50, level.latencyMs.p95, level.latencyMs.p99, level.latencyMs.max].map((ms) => fmt(ms, 1)),
        fmt(level.perCheckout.xactCommit, 2),
        fmt((level.perCheckout.walBytes ?? 0) / 1024, 1),
        fmt(level.perCheckout.walSync, 2),
        fmt(level.cpu.machineBusyPercent),
      ]),
      { leftColumns: 1 },
    ),
  );
  const groups = busyGroups(levels.map((level) => level.cpu));
  console.log("\nCPU, % of one core (and CPU ms per checkout)");
  console.log(
    table(
      ["case", "clients", ...groups],
      levels.map((level) => [
        level.case,
        String(level.clients),
        ...groups.map((group) => `${fmt(level.cpu.percentByGroup[group])} (${fmt(level.cpu.cpuMsPerCheckout[group], 2)})`),
      ]),
    ),
  );
  console.log("\nWhere a checkout's time goes: average ms per statement (pgbench -r, warm-up included)");
  const statements = levels[0]?.statementsMs.map((entry) => entry.statement) ?? [];
  console.log(
    table(
      ["statement", ...levels.map((level) => `${level.case} C=${level.clients}`)],
      statements.map((statement, index) => [statement, ...levels.map((level) => fmt(level.statementsMs[index]?.averageMs, 2))]),
    ),
  );
}

export type Headroom = {
  spreadCeiling: { checkoutsPerSecond: number; clients: number } | null;
  hotRowCeiling: { checkoutsPerSecond: number; clients: number } | null;
  /** Half the hot row's: a saga writes its product's stock row twice (the hold at start, the sale at complete-order). */
  oneProductSagaCeiling: number | null;
  sagaPeak: { sagasPerSecond: number; clients: number; postgresCpuMs: number | null } | null;
  /** The saga bench's best sagas/s as a share of the one-transaction ceiling, and of the one stock row's. */
  sagaPeakShareOfSpread: number | null;
  sagaPeakShareOfHotRow: number | null;
};

/** How close today's peak (the saga bench's best) comes to what this PostgreSQL can commit. */
function printHeadroom(levels: readonly PgCheckoutLevel[], saga: SagaBeside | null): Headroom {
  const best = (kase: string) =>
    levels.filter((level) => level.case === kase).reduce<PgCheckoutLevel | null>((top, level) => (!top || level.checkoutsPerSecond > top.checkoutsPerSecond ? level : top), null);
  const spread = best("spread");
  const hot = best("hot");
  const peak = saga?.levels.reduce<SagaBeside["levels"][number] | null>((top, level) => (!top || level.sagasPerSecond > top.sagasPerSecond ? level : top), null) ?? null;
  const share = (of: PgCheckoutLevel | null) => (peak && of && of.checkoutsPerSecond > 0 ? Math.round((peak.sagasPerSecond / of.checkoutsPerSecond) * 100) / 100 : null);
  if (saga) {
    console.log(`\nBeside the saga bench (${saga.file}, ${saga.startedAt}): sagas/s, p95 ms, statements, commits and PostgreSQL CPU ms per saga`);
    console.log(
      table(
        ["clients", "sagas/s", "p95", "statements", "commits", "PG CPU ms"],
        saga.levels.map((level) => [
          String(level.clients), fmt(level.sagasPerSecond), fmt(level.p95Ms), fmt(level.statements, 1), fmt(level.transactions, 1), fmt(level.postgresCpuMs, 2),
        ]),
      ),
    );
  } else {
    console.log("\n(no bench/results/latest-saga.json: run npm run bench:saga on this machine to see the sagas beside these)");
  }
  const headroom: Headroom = {
    spreadCeiling: spread && { checkoutsPerSecond: spread.checkoutsPerSecond, clients: spread.clients },
    hotRowCeiling: hot && { checkoutsPerSecond: hot.checkoutsPerSecond, clients: hot.clients },
    oneProductSagaCeiling: hot && Math.round(hot.checkoutsPerSecond / 2),
    sagaPeak: peak && { sagasPerSecond: peak.sagasPerSecond, clients: peak.clients, postgresCpuMs: peak.postgresCpuMs },
    sagaPeakShareOfSpread: share(spread),
    sagaPeakShareOfHotRow: share(hot),
  };
  console.log("\nHeadroom");
  if (spread) console.log(`  one-transaction checkouts, spread over products: ${fmt(spread.checkoutsPerSecond)}/s at best (C=${spread.clients})`);
  if (hot) {
    console.log(`  every checkout on ONE stock row:                 ${fmt(hot.checkoutsPerSecond)}/s at best (C=${hot.clients})`);
    console.log(`  so one product's sagas, two writes of its row each, cap at about ${fmt(headroom.oneProductSagaCeiling)}/s`);
  }
  if (peak) {
    console.log(
      `  the saga bench's best, ${fmt(peak.sagasPerSecond)} sagas/s (C=${peak.clients}, spread over its products), is ` +
        [headroom.sagaPeakShareOfSpread !== null ? `${fmt(headroom.sagaPeakShareOfSpread * 100)} % of the spread ceiling` : null,
         headroom.sagaPeakShareOfHotRow !== null ? `${fmt(headroom.sagaPeakShareOfHotRow * 100)} % of one row's` : null]
          .filter(Boolean)
          .join(" and "),
    );
  }
  return headroom;
}
