import type { BenchRun } from "../lib/bench-run";
import { failUnless, writeBenchResults } from "../lib/bench-results";
import { busyGroups, fmt, summaryCells, table, type InvariantResult } from "../lib/report";
import type { LevelResult } from "./level-result";
import type { SagaOptions } from "./options";

/** What a run of the saga bench measured and checked, for the tables and the JSON. */
export type SagaRun = {
  run: BenchRun;
  postgres: Record<string, string>;
  workerCommand: string;
  priceCents: number;
  customers: number;
  levels: LevelResult[];
  invariants: InvariantResult[];
  ok: boolean;
};

/** The one line printed as each level ends. */
export function printLevelLine(result: LevelResult): void {
  const failures = Object.entries(result.notCompleted).map(([status, count]) => `${count} ${status}`);
  console.log(
    `  C=${String(result.clients).padStart(3)}  ${fmt(result.sagasPerSecond)} sagas/s   latency p50 ${fmt(result.latencyMs.p50)} ms, ` +
      `p95 ${fmt(result.latencyMs.p95)} ms, p99 ${fmt(result.latencyMs.p99)} ms   ` +
      `machine ${fmt(result.cpu.machineBusyPercent)} % busy` +
      (result.startErrors > 0 ? `   ${result.startErrors} start errors` : "") +
      (failures.length > 0 ? `   not completed: ${failures.join(", ")}` : ""),
  );
}

/** The tables, then bench/results/saga-<time>.json (and latest-saga.json); exit code 1 if an invariant broke. */
export function reportSaga(options: SagaOptions, saga: SagaRun): void {
  printSummary(saga.levels);
  writeBenchResults(
    saga.run,
    { label: options.label, postgres: saga.postgres },
    {
      settings: {
        ...options,
        workerEnv: options.workerEnv,
        startPath: `startCheckout (as the web process) → sagaEngine.start → BullMQ → ${saga.workerCommand}`,
        priceCents: saga.priceCents,
        customers: saga.customers,
        latencyDefinition: "start call (wall clock) → saga_instances.finished_at; observed = until the bench's poller saw it",
      },
      levels: saga.levels,
      invariants: saga.invariants,
      ok: saga.ok,
    },
  );
  failUnless(saga.ok);
}

/** Round trips to Redis: BullMQ sends almost everything as a Lua script, plus its blocking fetch. */
function redisCalls(commands: Record<string, number>): number {
  return ["evalsha", "eval", "bzpopmin", "brpoplpush", "blmove"].reduce((sum, name) => sum + (commands[name] ?? 0), 0);
}

function printSummary(results: readonly LevelResult[]): void {
  if (results.length === 0) return;
  console.log("\nThroughput and latency (latency: start call → saga finished; ms)");
  console.log(
    table(
      ["clients", "sagas/s", "p50", "p95", "p99", "max", "obs p95", "start p95", "errors", "machine%"],
      results.map((result) => [
        String(result.clients),
        fmt(result.sagasPerSecond),
        ...summaryCells(result.latencyMs),
        fmt(result.observedLatencyMs.p95),
        fmt(result.startCallMs.p95),
        String(result.startErrors + Object.values(result.notCompleted).reduce((sum, count) => sum + count, 0)),
        fmt(result.cpu.machineBusyPercent),
      ]),
    ),
  );
  printCpu(results);
  printWork(results);
  console.log("\nWhere a saga's time goes (p50 / p95 ms, from the timestamps PostgreSQL recorded)");
  const names = Object.keys(results[0]?.breakdownMs ?? {});
  console.log(
    table(
      ["gap", ...results.map((result) => `C=${result.clients}`)],
      names.map((name) => [name, ...results.map((result) => `${fmt(result.breakdownMs[name]?.p50)} / ${fmt(result.breakdownMs[name]?.p95)}`)]),
    ),
  );
}

function printCpu(results: readonly LevelResult[]): void {
  const groups = busyGroups(results.map((result) => result.cpu));
  console.log("\nCPU, % of one core (and CPU ms per completed saga)");
  console.log(
    table(
      ["clients", ...groups],
      results.map((result) => [
        String(result.clients),
        ...groups.map((group) => `${fmt(result.cpu.percentByGroup[group], 0)} (${fmt(result.cpu.cpuMsPerSaga[group], 2)})`),
      ]),
    ),
  );
}

function printWork(results: readonly LevelResult[]): void {
  console.log(
    "\nWork per completed saga (PostgreSQL and Redis counters are server-wide; Redis calls = scripts (EVALSHA) and" +
      " blocking fetches sent by clients, Redis cmds = every command including those run inside scripts)",
  );
  console.log(
    table(
      ["clients", "stmts worker", "stmts start", "PG xacts", "rows ins", "rows upd", "WAL kB", "WAL fsyncs", "Redis calls", "Redis cmds"],
      results.map((result) => [
        String(result.clients),
        fmt(result.perSaga.workerStatements.total, 1),
        fmt(result.perSaga.benchStatements.total, 1),
        fmt(result.perSaga.pg.xactCommit, 1),
        fmt(result.perSaga.pg.tupInserted, 1),
        fmt(result.perSaga.pg.tupUpdated, 1),
        fmt((result.perSaga.pg.walBytes ?? 0) / 1024, 1),
        fmt(result.perSaga.pg.walSync, 2),
        fmt(redisCalls(result.perSaga.redisCommands), 1),
        fmt(result.perSaga.redisCommands.total, 1),
      ]),
    ),
  );
}
