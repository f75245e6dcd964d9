import type pg from "pg";
import { CHECKOUT_STEP_IDS, redeemPointsStepId } from "@/server/retail/checkout/checkout-steps";
import type { SagaStatus } from "@/server/saga/saga-status";
import { round } from "../lib/report";

export type Breakdown = Record<string, { p50: number | null; p95: number | null }>;

/**
 * Two gaps per checkout step, in step order: from the previous mark (the saga's start, or the previous step's
 * transaction) to the step's attempt being recorded, and from that to its transaction beginning. A step that waits
 * for a reply (the points step) has a third: from its transaction (which sent the command) to the reply's, the time
 * Loyalty took through the outbox relay, its worker and the reply queue; the next step's gap starts at the reply.
 */
const GAPS = CHECKOUT_STEP_IDS.flatMap((step, index) => {
  const previous = CHECKOUT_STEP_IDS[index - 1];
  const gaps = [
    {
      name: previous ? `${previous} transaction began → ${step} attempt recorded` : `start tx → ${step} attempt recorded`,
      sql: `s${index} - ${previous ? `f${index - 1}` : "created_at"}`,
    },
    { name: `${step}: attempt recorded → its transaction began`, sql: `COALESCE(a${index}, f${index}) - s${index}` },
  ];
  if (step === redeemPointsStepId) gaps.push({ name: `${step}: command sent → Loyalty's reply applied`, sql: `f${index} - a${index}` });
  return gaps;
});

/** Medians and p95s of the gaps between what PostgreSQL recorded for the sagas completed that started in the window. */
export async function breakdown(client: pg.Client, from: Date, to: Date): Promise<Breakdown> {
  const completed: SagaStatus = "completed";
  const marks = CHECKOUT_STEP_IDS.map(
    (_, index) =>
      `max(e.started_at) FILTER (WHERE e.step = $${index + 4}) AS s${index}, max(e.finished_at) FILTER (WHERE e.step = $${index + 4}) AS f${index}, ` +
      `max(e.awaiting_since) FILTER (WHERE e.step = $${index + 4}) AS a${index}`,
  );
  const gaps = GAPS.map((gap, index) => `extract(epoch FROM ${gap.sql}) * 1000 AS g${index}`);
  const percentiles = GAPS.map(
    (_, index) =>
      `percentile_cont(0.5) WITHIN GROUP (ORDER BY g${index}) AS p50_${index}, percentile_cont(0.95) WITHIN GROUP (ORDER BY g${index}) AS p95_${index}`,
  );
  const { rows } = await client.query<Record<string, number | null>>(
    `WITH s AS (
       SELECT id, created_at FROM saga_instances WHERE created_at >= $1 AND created_at < $2 AND status = $3),
     x AS (
       SELECT s.created_at, ${marks.join(", ")}
         FROM s JOIN saga_step_executions e ON e.saga_id = s.id AND e.phase = 'action'
        GROUP BY s.id, s.created_at),
     g AS (SELECT ${gaps.join(", ")} FROM x)
     SELECT ${percentiles.join(", ")} FROM g`,
    [from, to, completed, ...CHECKOUT_STEP_IDS],
  );
  const row = rows[0] ?? {};
  return Object.fromEntries(
    GAPS.map((gap, index) => [gap.name, { p50: round(numberOrNull(row[`p50_${index}`])), p95: round(numberOrNull(row[`p95_${index}`])) }]),
  );
}

function numberOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}
