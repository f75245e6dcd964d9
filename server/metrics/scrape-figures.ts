import { Gauge, Registry } from "prom-client";
import { projectionLags } from "@/server/loyalty/projections/projection-checkpoints";
import { readQueueHealth } from "@/server/queues/queue-health";
import { sql, sqlPool } from "@/server/sql";

/**
 * The shop's state read when Prometheus scrapes, each figure from an index that holds only the few rows it counts
 * (never a scan of the million finished sagas): sagas still in flight or needing attention, the outbox's backlog,
 * the Loyalty projections' lag (PostgreSQL), the queues' depths (Redis). A source that is away or slow is reported
 * down (unicorn_metrics_source_up 0) and its figures left out: the scrape still answers 200 with the rest.
 */

/** Longest a source may take before the scrape goes on without it (Prometheus' own default timeout is 10 s). */
const SOURCE_DEADLINE_MS = 3_000;
/** Backlogs are counted up to this many rows (a count is then a lower bound), so that a huge one keeps the scrape cheap. */
export const BACKLOG_COUNT_CAP = 100_000;

/** The statuses a saga is counted in while it is in them: the others are ends, counted as they happen (sagas_ended). */
const COUNTED_STATUSES = ["running", "compensating", "needs_attention"] as const;

export type Source = "postgres" | "redis";

export type ScrapeSources = {
  sagaTypes: readonly string[];
  /** Filled in by each source as it answers, or not. */
  up: Map<Source, boolean>;
};

/** Registers every scrape-time gauge in `registry`, reading the sources side by side. */
export async function collectScrapeFigures(registry: Registry, sources: ScrapeSources): Promise<void> {
  const gauge = (name: string, help: string, labelNames: string[] = []) => new Gauge({ name, help, labelNames, registers: [registry] });
  const [sagas, outbox, lags, queues] = await Promise.all([
    withinDeadline(sagasInFlight()),
    withinDeadline(outboxBacklog()),
    withinDeadline(projectionLags(sqlPool)),
    withinDeadline(readQueueHealth()),
  ]);
  sources.up.set("postgres", sagas.ok && outbox.ok && lags.ok);
  sources.up.set("redis", (sources.up.get("redis") ?? true) && queues.ok);

  if (sagas.ok) {
    const inFlight = gauge("unicorn_sagas", "Sagas in a status right now (running, compensating, needs_attention), by saga type.", ["saga_type", "status"]);
    for (const sagaType of sources.sagaTypes) for (const status of COUNTED_STATUSES) inFlight.set({ saga_type: sagaType, status }, 0);
    for (const row of sagas.value) inFlight.set({ saga_type: row.saga_type, status: row.status }, row.count);
  }
  if (outbox.ok) {
    gauge("unicorn_outbox_unsent_messages", `Outbox messages not yet published (counted up to ${BACKLOG_COUNT_CAP}).`).set(outbox.value.unsent);
    gauge("unicorn_outbox_oldest_unsent_age_seconds", "Age of the oldest unsent outbox message (0 when none).").set(outbox.value.oldestAgeSeconds);
    gauge("unicorn_outbox_dead_letters", `Outbox messages set aside after failing every attempt (counted up to ${BACKLOG_COUNT_CAP}).`).set(outbox.value.deadLetters);
  }
  if (lags.ok) {
    const events = gauge("unicorn_loyalty_projection_lag_events", "Loyalty events a projection has not applied yet (counted up to 10,000).", ["projection"]);
    const seconds = gauge("unicorn_loyalty_projection_lag_seconds", "How long the oldest event a projection has not applied has waited (0 when caught up).", ["projection"]);
    for (const lag of lags.value) {
      events.set({ projection: lag.projection }, lag.pendingEvents);
      seconds.set({ projection: lag.projection }, lag.behindMs / 1_000);
    }
  }
  if (queues.ok) {
    const jobs = gauge("unicorn_queue_jobs", "BullMQ jobs per queue and state (waiting, active, delayed, failed).", ["queue", "state"]);
    const workers = gauge("unicorn_queue_workers", "Worker connections BullMQ sees on each queue.", ["queue"]);
    for (const health of queues.value) {
      for (const state of ["waiting", "active", "delayed", "failed"] as const) jobs.set({ queue: health.queue, state }, health[state]);
      workers.set({ queue: health.queue }, health.workers);
    }
  }
}

type Read<T> = { ok: true; value: T } | { ok: false };

/** The source's answer, or none if it failed or took longer than the deadline. */
export async function withinDeadline<T>(read: Promise<T>, ms = SOURCE_DEADLINE_MS): Promise<Read<T>> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Read<T>>((resolve) => (timer = setTimeout(() => resolve({ ok: false }), ms)));
  const answered = read.then((value): Read<T> => ({ ok: true, value }), (): Read<T> => ({ ok: false }));
  try {
    return await Promise.race([answered, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Through the partial index of sagas not completed (20261126200000_admin_monitor), whose predicate the second
 * condition repeats for the planner: the in-flight sagas and the compensated ones, never the completed million.
 */
function sagasInFlight() {
  return sqlPool.rows<{ saga_type: string; status: string; count: number }>(sql`
    SELECT saga_type, status::text AS status, count(*)::int AS count
      FROM saga_instances WHERE status IN ('running', 'compensating', 'needs_attention') AND status <> 'completed'
     GROUP BY saga_type, status`);
}

/** Through the outbox's partial indexes of due messages and of dead letters (20261202210000_outbox_retries). */
async function outboxBacklog(): Promise<{ unsent: number; oldestAgeSeconds: number; deadLetters: number }> {
  const [row] = await sqlPool.rows<{ unsent: number; oldest_age_seconds: number | null; dead_letters: number }>(sql`
    SELECT (SELECT count(*)::int FROM (
              SELECT 1 FROM outbox_messages WHERE published_at IS NULL AND dead_lettered_at IS NULL LIMIT ${BACKLOG_COUNT_CAP}) unsent) AS unsent,
           (SELECT extract(epoch FROM now() - min(created_at))::float8
              FROM outbox_messages WHERE published_at IS NULL AND dead_lettered_at IS NULL) AS oldest_age_seconds,
           (SELECT count(*)::int FROM (
              SELECT 1 FROM outbox_messages WHERE dead_lettered_at IS NOT NULL LIMIT ${BACKLOG_COUNT_CAP}) dead) AS dead_letters`);
  return { unsent: row?.unsent ?? 0, oldestAgeSeconds: Math.max(0, row?.oldest_age_seconds ?? 0), deadLetters: row?.dead_letters ?? 0 };
}
