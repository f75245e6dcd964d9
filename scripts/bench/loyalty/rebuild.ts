import type pg from "pg";
import { PROJECTION_NAMES } from "@/server/loyalty/projections/projection-checkpoints";
import { rebuildProjections } from "@/server/loyalty/projections/rebuild-projections";
import { timeStatementsInThisProcess } from "../lib/bench-db";
import { profileCpu, type SelfTime } from "../lib/cpu-profile";
import { cpuBetween, type CpuUsage } from "../lib/proc-cpu";
import { createProgress, fmt, round, type InvariantResult } from "../lib/report";
import type { PhaseProbe } from "./throughput";

/**
 * Phase 3, rebuild: times `rebuildProjections` (what `npm run loyalty:rebuild` runs) over the whole log, checks the
 * rebuilt read models against plain SQL aggregates of the events, and — on request — runs it once more with a
 * stopwatch on every statement and a CPU profile, to say where the time goes.
 */

export type RebuildResult = {
  events: number;
  seconds: number;
  eventsPerSecond: number;
  batchSize: number | null;
  cpu: CpuUsage;
};

export async function timeRebuild(options: { batchSize?: number; probe: PhaseProbe }): Promise<RebuildResult> {
  const progress = createProgress({ plainEveryMs: 5_000 });
  const cpuBefore = options.probe.cpu();
  const started = performance.now();
  const { eventsApplied } = await rebuildProjections({
    ...(options.batchSize ? { batchSize: options.batchSize } : {}),
    onProgress: ({ eventsApplied: applied, eventsInLog }) => {
      const seconds = (performance.now() - started) / 1000;
      const rate = applied / seconds;
      progress.update(
        `  rebuilding: ${applied.toLocaleString("en")}/${eventsInLog.toLocaleString("en")} events in ${seconds.toFixed(0)} s ` +
          `(${fmt(rate)}/s, about ${fmt((eventsInLog - applied) / rate)} s to go)`,
      );
    },
  });
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuBetween(cpuBefore, options.probe.cpu());
  progress.done();
  return {
    events: eventsApplied,
    seconds: round(seconds, 2) ?? seconds,
    eventsPerSecond: round(eventsApplied / seconds) ?? 0,
    batchSize: options.batchSize ?? null,
    cpu,
  };
}

/** The rebuilt read models against what the events add up to, computed by PostgreSQL alone. */
export async function verifyRebuild(client: pg.Client, expectedEvents: number, replayed: number): Promise<InvariantResult[]> {
  const one = async (sql: string) => (await client.query<Record<string, string | null>>(sql)).rows[0] ?? {};
  const results: InvariantResult[] = [];
  const check = (name: string, ok: boolean, detail: string) => results.push({ name, ok, detail });
  const n = (value: string | null | undefined) => Number(value ?? 0);

  check("the rebuild replayed every event", replayed === expectedEvents, `${replayed} replayed, ${expectedEvents} in the log`);
  const balances = await one(`
    WITH expected AS (
      SELECT stream_id, max(version) AS last_version,
             sum(CASE type WHEN 'PointsEarned' THEN (data->>'points')::int WHEN 'PointsRedeemed' THEN -(data->>'points')::int
                           WHEN 'PointsRestored' THEN (data->>'points')::int WHEN 'LotExpired' THEN -(data->>'points')::int
                           WHEN 'PointsAdjusted' THEN (data->>'points')::int END) AS points
        FROM loyalty_point_events GROUP BY stream_id)
    SELECT count(e.stream_id) AS customers, count(b.customer_id) AS balances,
           count(*) FILTER (WHERE b.customer_id IS NULL OR e.stream_id IS NULL
                              OR b.available_points <> e.points OR b.last_version <> e.last_version) AS wrong,
           sum(e.points) AS expected_points, sum(b.available_points) AS rebuilt_points
      FROM expected e FULL JOIN loyalty_balances b ON b.customer_id = e.stream_id`);
  check(
    "balance = sum of the customer's event deltas, last_version = their last version",
    n(balances.wrong) === 0 && n(balances.customers) > 0,
    `${n(balances.wrong)} of ${n(balances.customers)} customers off; ${n(balances.rebuilt_points)} points rebuilt, ` +
      `${n(balances.expected_points)} by SQL`,
  );
  const history = await one(`
    SELECT (SELECT count(*) FROM loyalty_history) AS rows, (SELECT count(*) FROM loyalty_point_events) AS events,
           (SELECT count(*) FROM (SELECT DISTINCT ON (customer_id) customer_id, balance_after FROM loyalty_history
                                   ORDER BY customer_id, version DESC) h
              FULL JOIN loyalty_balances b USING (customer_id)
             WHERE h.balance_after IS DISTINCT FROM b.available_points) AS wrong_last`);
  check(
    "one history row per event; each customer's last balance_after = their balance",
    n(history.rows) === n(history.events) && n(history.wrong_last) === 0,
    `${n(history.rows)} rows for ${n(history.events)} events, ${n(history.wrong_last)} customers off`,
  );
  const lots = await one(`
    SELECT (SELECT count(*) FROM loyalty_lots) AS lots,
           (SELECT count(*) FROM loyalty_point_events WHERE type = 'PointsEarned') AS earned,
           (SELECT count(*) FROM (SELECT customer_id, sum(remaining) AS remaining FROM loyalty_lots GROUP BY customer_id) l
              FULL JOIN loyalty_balances b USING (customer_id)
             WHERE coalesce(l.remaining, 0) <> coalesce(b.available_points, 0)) AS wrong`);
  check(
    "one lot per PointsEarned; each customer's lots hold their balance (nothing expired)",
    n(lots.lots) === n(lots.earned) && n(lots.wrong) === 0,
    `${n(lots.lots)} lots for ${n(lots.earned)} PointsEarned, ${n(lots.wrong)} customers off`,
  );
  const checkpoints = await one(`
    WITH last AS (SELECT max(position) AS position FROM loyalty_point_events)
    SELECT count(*) FILTER (WHERE c.position = l.position) AS at_end, count(*) AS total
      FROM loyalty_projection_checkpoints c CROSS JOIN last l`);
  check(
    "every projection's checkpoint is at the end of the log",
    n(checkpoints.at_end) === n(checkpoints.total) && n(checkpoints.total) === PROJECTION_NAMES.length,
    `${n(checkpoints.at_end)} of ${n(checkpoints.total)}`,
  );
  return results;
}

export type RebuildProfile = {
  events: number;
  seconds: number;
  /** Time awaiting each kind of statement (round trip + PostgreSQL + pg parsing rows), by verb and table. */
  statements: Record<string, { calls: number; seconds: number }>;
  /** CPU seconds this process spent (JavaScript: parsing, evolving, building parameters, garbage collection). */
  benchCpuSeconds: number;
  cpu: CpuUsage;
  topSelfTime: SelfTime[];
};

/**
 * `rebuildProjections` once more (it swaps in the same read models again), with a stopwatch on every statement the
 * app sends and a CPU profile of this process: where the time goes, whatever the rebuild's implementation.
 */
export async function profileRebuild(options: { batchSize?: number; probe: PhaseProbe; cpuProfileFile: string }): Promise<RebuildProfile> {
  const progress = createProgress({ plainEveryMs: 5_000 });
  const cpuBefore = options.probe.cpu();
  const benchBefore = process.cpuUsage();
  const started = performance.now();
  const stopTiming = timeStatementsInThisProcess(statementKey);
  let timings: Map<string, { calls: number; ms: number }>;
  let events: number;
  let top: SelfTime[];
  try {
    const profiled = await profileCpu(options.cpuProfileFile, () =>
      rebuildProjections({
        ...(options.batchSize ? { batchSize: options.batchSize } : {}),
        onProgress: ({ eventsApplied, eventsInLog }) => {
          const seconds = (performance.now() - started) / 1000;
          progress.update(`  profiled rebuild: ${eventsApplied.toLocaleString("en")}/${eventsInLog.toLocaleString("en")} events in ${seconds.toFixed(0)} s`);
        },
      }),
    );
    events = profiled.result.eventsApplied;
    top = profiled.top;
  } finally {
    timings = stopTiming();
  }
  const seconds = (performance.now() - started) / 1000;
  const benchCpu = process.cpuUsage(benchBefore);
  progress.done();
  return {
    events,
    seconds: round(seconds, 2) ?? seconds,
    statements: Object.fromEntries(
      [...timings.entries()]
        .sort((a, b) => b[1].ms - a[1].ms)
        .map(([key, { calls, ms }]) => [key, { calls, seconds: round(ms / 1000, 2) ?? 0 }]),
    ),
    benchCpuSeconds: round((benchCpu.user + benchCpu.system) / 1e6, 1) ?? 0,
    cpu: cpuBetween(cpuBefore, options.probe.cpu()),
    topSelfTime: top,
  };
}

/** "SELECT … FROM loyalty_balances_next …" → "SELECT loyalty_balances_next"; a CTE names the tables it writes. */
function statementKey(text: string): string {
  const verb = /^\s*(\w+)/.exec(text)?.[1]?.toUpperCase() ?? "?";
  const tables = [...new Set([...text.matchAll(/\b(?:FROM|INTO|UPDATE|TABLE)\s+(loyalty_\w+)/gi)].map((match) => match[1]))];
  return `${verb} ${tables.slice(0, 3).join(", ")}`.trim();
}
