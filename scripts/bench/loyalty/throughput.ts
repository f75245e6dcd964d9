import { setTimeout as sleep } from "node:timers/promises";
import type pg from "pg";
import { projectionLags, type ProjectionLag } from "@/server/loyalty/projections/projection-checkpoints";
import type { PurchaseCompleted } from "@/server/retail/checkout/purchase-completed";
import { cpuBetween, type CpuSnapshot, type CpuUsage } from "../lib/proc-cpu";
import { createProgress, fmt, round } from "../lib/report";
import { diffCounts, perUnit, pgCounters, type PgCounters } from "../lib/server-stats";
import { benchSqlClient } from "./bench-sql-client";

/**
 * Phase 1, throughput: every purchase published as fast as the bench can (bounded in flight), while the worker(s)
 * append and project. Times until every message was handled, every event appended, and every projection's checkpoint
 * reached the end of the log.
 */

export type PhaseProbe = {
  /** CPU per process group now (workers, PostgreSQL, Redis, …). */
  cpu(): CpuSnapshot;
  /** Statements the workers have sent so far (the preloaded counter), when counted. */
  workerStatements(): number;
};

export type ThroughputResult = {
  purchases: number;
  eventsExpected: number;
  eventsAppended: number;
  finished: boolean;
  seconds: { publish: number; handle: number | null; append: number | null; project: number | null };
  perSecond: { published: number; handled: number | null; appended: number | null; projected: number | null };
  /** After the last append, how long until every projection had caught up. */
  projectionTailMs: number | null;
  peakPendingEvents: Record<string, number>;
  peakBehindMs: Record<string, number>;
  /** Rolled-back transactions in the bench database: almost all are version conflicts that were decided again. */
  rolledBackTransactions: number;
  cpu: CpuUsage & { cpuMsPerEvent: Record<string, number> };
  perEvent: { pg: Record<string, number>; workerStatements: number | null };
  longestStreams: { customerId: string; events: number }[];
};

type Counts = { handled: number; appended: number; lags: ProjectionLag[] };
/** The counters read at both ends of the phase. */
type Ends = { cpu: CpuSnapshot; pg: PgCounters; statements: number };
/** Performance.now() marks: when everything was published, handled, appended, and projected. */
type Marks = { published?: number; handled?: number; appended?: number; projected?: number };
type Phase = {
  started: number;
  baseline: Counts;
  latest: Counts;
  published: number;
  at: Marks;
  peakPendingEvents: Record<string, number>;
  peakBehindMs: Record<string, number>;
  /** Read the moment every projection caught up (not set if the phase timed out first). */
  end?: Ends;
};

type ThroughputOptions = {
  purchases: readonly PurchaseCompleted[];
  eventsExpected: number;
  publish: (purchase: PurchaseCompleted) => Promise<void>;
  publishInFlight: number;
  /** The bench's own connection for polling (counts, lags). */
  poller: pg.Client;
  probe: PhaseProbe;
  timeoutMs: number;
};

const LOYALTY_TABLES = ["loyalty_point_events", "loyalty_processed_messages", "loyalty_balances", "loyalty_lots", "loyalty_history"];

export async function measureThroughput(options: ThroughputOptions): Promise<ThroughputResult> {
  const { poller, probe } = options;
  const baseline = await readCounts(poller);
  const before: Ends = { pg: await pgCounters(poller), cpu: probe.cpu(), statements: probe.workerStatements() };
  const phase: Phase = { started: performance.now(), baseline, latest: baseline, published: 0, at: {}, peakPendingEvents: {}, peakBehindMs: {} };
  const progress = createProgress();
  const monitor = watchUntilProjected(options, phase, progress);
  await publishAll(options, phase);
  phase.at.published = performance.now();
  await monitor;
  progress.done();
  // What the phases after this one find: tables with statistics, as autovacuum would have left them.
  await poller.query(`VACUUM (ANALYZE) ${LOYALTY_TABLES.join(", ")}`);
  const after: Ends = phase.end ?? { cpu: probe.cpu(), pg: await pgCounters(poller), statements: probe.workerStatements() };
  return throughputResult(options, phase, before, after);
}

async function readCounts(poller: pg.Client): Promise<Counts> {
  const { rows } = await poller.query<{ handled: number; appended: number }>(
    `SELECT (SELECT count(*)::int FROM loyalty_processed_messages) AS handled,
            (SELECT count(*)::int FROM loyalty_point_events) AS appended`,
  );
  return { handled: rows[0]?.handled ?? 0, appended: rows[0]?.appended ?? 0, lags: await projectionLags(benchSqlClient(poller)) };
}

/** The outbox relay publishes with `enqueue`, one job per event: the same call, many at once. */
async function publishAll(options: ThroughputOptions, phase: Phase): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: options.publishInFlight }, async () => {
      while (next < options.purchases.length) {
        const purchase = options.purchases[next++] as PurchaseCompleted;
        await options.publish(purchase);
        phase.published += 1;
      }
    }),
  );
}

/** Polls the counts and the lags until every projection caught up (or time is up), marking each milestone. */
async function watchUntilProjected(options: ThroughputOptions, phase: Phase, progress: ReturnType<typeof createProgress>): Promise<void> {
  const { poller, probe, purchases, eventsExpected } = options;
  // Autovacuum is off on this PostgreSQL (it is on in production): without statistics, plans chosen while the tables
  // were empty stay (the app's projectionLags, for one, counts pending events with a sequential scan of the whole log).
  // Stand in for it with its own thresholds: VACUUM ANALYZE once a table has grown by 10 % + 50 rows.
  let analyzedAt = -1;
  const analyzeLikeAutovacuum = async (appended: number) => {
    if (analyzedAt >= 0 && appended < analyzedAt * 1.1 + 50) return;
    analyzedAt = appended;
    await poller.query(`VACUUM (ANALYZE) ${LOYALTY_TABLES.join(", ")}`);
  };
  const { at, baseline } = phase;
  const deadline = phase.started + options.timeoutMs;
  while (performance.now() < deadline) {
    const latest = (phase.latest = await readCounts(poller));
    await analyzeLikeAutovacuum(latest.appended);
    const now = performance.now();
    const handled = latest.handled - baseline.handled;
    const appended = latest.appended - baseline.appended;
    for (const lag of latest.lags) {
      phase.peakPendingEvents[lag.projection] = Math.max(phase.peakPendingEvents[lag.projection] ?? 0, lag.pendingEvents);
      phase.peakBehindMs[lag.projection] = Math.max(phase.peakBehindMs[lag.projection] ?? 0, lag.behindMs);
    }
    if (at.handled === undefined && handled >= purchases.length) at.handled = now;
    if (at.appended === undefined && at.handled !== undefined && appended >= eventsExpected) at.appended = now;
    if (at.appended !== undefined && latest.lags.every((lag) => lag.pendingEvents === 0)) {
      at.projected = now;
      phase.end = { cpu: probe.cpu(), pg: await pgCounters(poller), statements: probe.workerStatements() };
      break;
    }
    const elapsedS = (now - phase.started) / 1000;
    const behind = latest.lags.map((lag) => `${lag.projection} ${lag.pendingEvents}`).join(", ");
    progress.update(
      `  ${elapsedS.toFixed(0)} s  published ${phase.published}/${purchases.length}  handled ${handled}  ` +
        `appended ${appended}/${eventsExpected} (${fmt(appended / elapsedS)}/s)  behind: ${behind}`,
    );
    await sleep(250);
  }
}

/** The phase's rates and costs, per event appended. */
async function throughputResult(options: ThroughputOptions, phase: Phase, before: Ends, after: Ends): Promise<ThroughputResult> {
  const { purchases, eventsExpected } = options;
  const { at, started } = phase;
  const seconds = (mark: number | undefined) => (mark === undefined ? null : (mark - started) / 1000);
  const rate = (count: number, s: number | null) => (s === null || s <= 0 ? null : round(count / s));
  const publishS = ((at.published ?? started) - started) / 1000;
  const cpu = cpuBetween(before.cpu, after.cpu);
  const appended = phase.latest.appended - phase.baseline.appended;
  const cpuMsPerEvent: Record<string, number> = {};
  for (const [group, percent] of Object.entries(cpu.percentByGroup)) {
    if (appended > 0) cpuMsPerEvent[group] = round(((percent / 100) * cpu.seconds * 1000) / appended, 2) ?? 0;
  }
  const pgDelta = diffCounts(before.pg, after.pg);
  const streams = await options.poller.query<{ customer_id: string; events: number }>(
    `SELECT stream_id::text AS customer_id, count(*)::int AS events FROM loyalty_point_events
      GROUP BY stream_id ORDER BY count(*) DESC LIMIT 5`,
  );
  return {
    purchases: purchases.length,
    eventsExpected,
    eventsAppended: appended,
    finished: at.projected !== undefined,
    seconds: {
      publish: round(publishS, 2) ?? 0,
      handle: round(seconds(at.handled), 2),
      append: round(seconds(at.appended), 2),
      project: round(seconds(at.projected), 2),
    },
    perSecond: {
      published: round(purchases.length / publishS) ?? 0,
      handled: rate(purchases.length, seconds(at.handled)),
      appended: rate(appended, seconds(at.appended)),
      projected: rate(appended, seconds(at.projected)),
    },
    projectionTailMs: at.projected !== undefined && at.appended !== undefined ? round(at.projected - at.appended) : null,
    peakPendingEvents: phase.peakPendingEvents,
    peakBehindMs: phase.peakBehindMs,
    rolledBackTransactions: pgDelta.xactRollback,
    cpu: { ...cpu, cpuMsPerEvent },
    perEvent: {
      pg: perUnit({ xacts: pgDelta.xactCommit, rowsInserted: pgDelta.tupInserted, rowsUpdated: pgDelta.tupUpdated, walKiB: pgDelta.walBytes / 1024 }, appended),
      workerStatements: after.statements > before.statements ? round((after.statements - before.statements) / Math.max(1, appended), 2) : null,
    },
    longestStreams: streams.rows.map((row) => ({ customerId: row.customer_id, events: row.events })),
  };
}
