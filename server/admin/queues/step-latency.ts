import { sql, sqlPool } from "@/server/sql";

/**
 * How long one run of a step took: THE expression the latency chart measures. From its last attempt's start, so a
 * retried step's wait between attempts is not counted (rows from before attempt_started_at existed: from the first).
 */
const STEP_DURATION = sql`(finished_at - COALESCE(attempt_started_at, started_at))`;

export type StepLatency = { step: string; phase: "action" | "compensation"; runs: number; p50Ms: number; p95Ms: number };

/**
 * Median and 95th percentile of each saga step's duration (action and compensation apart) over the steps that
 * finished in the last hour, slowest p95 first. Reads saga_step_executions by its finished_at index.
 */
export async function stepLatencyLastHour(now: Date = new Date()): Promise<StepLatency[]> {
  return sqlPool.rows<StepLatency>(sql`
    SELECT step, phase::text AS phase, count(*)::int AS runs,
           round(percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms))::int AS "p50Ms",
           round(percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms))::int AS "p95Ms"
      FROM (SELECT step, phase, extract(epoch FROM ${STEP_DURATION}) * 1000 AS duration_ms
              FROM saga_step_executions
             WHERE finished_at > ${now}::timestamptz - interval '1 hour' AND finished_at <= ${now}::timestamptz
               AND status IN ('succeeded', 'failed')) finished
     GROUP BY step, phase
     ORDER BY "p95Ms" DESC, step, phase`);
}
