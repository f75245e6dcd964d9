import type pg from "pg";
import type { CpuSnapshot, CpuUsage } from "../lib/proc-cpu";
import { cpuBetween } from "../lib/proc-cpu";
import { round, summarize, type Summary } from "../lib/report";
import { diffCounts, perUnit, type PgCounters, type RedisCounters } from "../lib/server-stats";
import { breakdown, type Breakdown } from "./breakdown";
import type { SagaOutcome } from "./terminal-poller";

/** One checkout of a virtual client: when it was started, answered and seen finished (performance.now() ms). */
export type Sample = {
  startPerf: number;
  startWallMs: number;
  startedPerf: number;
  observedPerf: number;
} & SagaOutcome;

type StatementCounts = { total: number; byKind: Record<string, number> };

/** Every counter the bench reads at both ends of a measured window. */
export type Snapshots = {
  cpu: CpuSnapshot;
  pg: PgCounters;
  redis: RedisCounters;
  workerStatements: StatementCounts;
  benchStatements: StatementCounts;
  polls: number;
  benchCpu: NodeJS.CpuUsage;
};

export type LevelResult = {
  clients: number;
  measuredSeconds: number;
  completed: number;
  sagasPerSecond: number;
  /** Start call → saga finished (its last step's transaction, as PostgreSQL timed it). */
  latencyMs: Summary;
  /** Start call → the bench's poller saw it finished (adds up to one poll interval and the poll itself). */
  observedLatencyMs: Summary;
  /** The startCheckout call alone (what the web request would wait for). */
  startCallMs: Summary;
  startErrors: number;
  startErrorExamples: string[];
  notCompleted: Record<string, number>;
  cpu: CpuUsage & { cpuMsPerSaga: Record<string, number> };
  perSaga: {
    workerStatements: Record<string, number>;
    benchStatements: Record<string, number>;
    pg: Record<string, number>;
    redisCommands: Record<string, number>;
  };
  polls: number;
  vacuumsDuringLevel: number;
  rawStatementTotals: { workers: number[]; bench: number[] };
  breakdownMs: Breakdown;
};

/** A measured level's figures: throughput and latencies of the window, and the work per completed saga. */
export async function levelResult(level: {
  admin: pg.Client;
  clients: number;
  /** The measured window, performance.now() ms, and the same as wall-clock dates. */
  window: { start: number; end: number };
  wall: { start: Date; end: Date };
  samples: readonly Sample[];
  startErrors: number;
  startErrorExamples: string[];
  vacuumsDuringLevel: number;
  before: Snapshots;
  after: Snapshots;
}): Promise<LevelResult> {
  const { samples, window, before, after } = level;
  const seconds = (window.end - window.start) / 1000;
  const within = (at: number) => at >= window.start && at < window.end;
  const completed = samples.filter((sample) => within(sample.observedPerf) && sample.status === "completed").length;
  const startedInWindow = samples.filter((sample) => within(sample.startPerf));
  const finishedInWindow = startedInWindow.filter((sample) => sample.status === "completed");
  const notCompleted: Record<string, number> = {};
  for (const sample of samples) if (sample.status !== "completed") notCompleted[sample.status] = (notCompleted[sample.status] ?? 0) + 1;

  return {
    clients: level.clients,
    measuredSeconds: round(seconds, 2) ?? seconds,
    completed,
    sagasPerSecond: round(completed / seconds) ?? 0,
    latencyMs: summarize(finishedInWindow.map((sample) => (sample.finishedAtMs ?? 0) - sample.startWallMs)),
    observedLatencyMs: summarize(finishedInWindow.map((sample) => sample.observedPerf - sample.startPerf)),
    startCallMs: summarize(startedInWindow.map((sample) => sample.startedPerf - sample.startPerf)),
    startErrors: level.startErrors,
    startErrorExamples: level.startErrorExamples,
    notCompleted,
    cpu: cpuPerSaga(before, after, seconds, completed),
    perSaga: workPerSaga(before, after, completed),
    polls: after.polls - before.polls,
    vacuumsDuringLevel: level.vacuumsDuringLevel,
    rawStatementTotals: {
      workers: [before.workerStatements.total, after.workerStatements.total],
      bench: [before.benchStatements.total, after.benchStatements.total],
    },
    breakdownMs: await breakdown(level.admin, level.wall.start, level.wall.end),
  };
}

/** CPU per process group over the window (this process's own included), and per completed saga. */
function cpuPerSaga(before: Snapshots, after: Snapshots, seconds: number, completed: number): LevelResult["cpu"] {
  const cpu = cpuBetween(before.cpu, after.cpu);
  const benchCpu = process.cpuUsage(before.benchCpu);
  cpu.percentByGroup.bench = round(((benchCpu.user + benchCpu.system) / 1000 / (seconds * 1000)) * 100) ?? 0;
  const cpuMsPerSaga: Record<string, number> = {};
  for (const [group, percent] of Object.entries(cpu.percentByGroup)) {
    if (completed > 0) cpuMsPerSaga[group] = round(((percent / 100) * seconds * 1000) / completed, 2) ?? 0;
  }
  return { ...cpu, cpuMsPerSaga };
}

/** Statements, PostgreSQL's and Redis' counters over the window, per completed saga. */
function workPerSaga(before: Snapshots, after: Snapshots, completed: number): LevelResult["perSaga"] {
  const pgDelta = diffCounts(before.pg, after.pg);
  // The poller's own queries are transactions too: take them out.
  pgDelta.xactCommit -= after.polls - before.polls;
  const statements = (start: StatementCounts, end: StatementCounts) =>
    perUnit({ total: end.total - start.total, ...diffCounts(start.byKind, end.byKind) }, completed);
  return {
    workerStatements: statements(before.workerStatements, after.workerStatements),
    benchStatements: statements(before.benchStatements, after.benchStatements),
    pg: perUnit(pgDelta as unknown as Record<string, number>, completed),
    redisCommands: perUnit(
      { total: after.redis.totalCommands - before.redis.totalCommands, ...diffCounts(before.redis.calls, after.redis.calls) },
      completed,
    ),
  };
}
