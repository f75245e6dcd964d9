import { setTimeout as sleep } from "node:timers/promises";
import type pg from "pg";
import { projectionLags } from "@/server/loyalty/projections/projection-checkpoints";
import type { PurchaseCompleted } from "@/server/retail/checkout/purchase-completed";
import { cpuBetween, type CpuUsage } from "../lib/proc-cpu";
import { createProgress, errorMessage, round, summarize, type Summary } from "../lib/report";
import { benchSqlClient } from "./bench-sql-client";
import type { PhaseProbe } from "./throughput";

/**
 * Phase 2, lag under a steady purchase rate: publishes on a fixed schedule and times every purchase until the
 * customer can see it in their points history (its loyalty_history row exists), which is what "lag" means to them.
 * Also samples the app's own `projectionLags` (what the admin page shows).
 */

export type LagResult = {
  ratePerSecond: number;
  seconds: number;
  published: number;
  /** Purchases published per second as achieved (the schedule slips if the bench itself is starved of CPU). */
  achievedRate: number;
  publishErrors: number;
  observed: number;
  /** Published (enqueue called) → its history row visible: the customer's lag. */
  visibleMs: Summary;
  /** Published → the append's transaction began (Redis, the queue wait, a conflict's retries). */
  appendStartMs: Summary;
  /** Append's transaction began → history row visible (commit + the projection processor's interval and batch). */
  projectionMs: Summary;
  /** `projectionLags` sampled every 250 ms: the largest of the three projections each time. */
  sampledPendingEvents: Summary;
  sampledBehindMs: Summary;
  cpu: CpuUsage;
};

type Tracked = { purchase: PurchaseCompleted; publishedWallMs: number };
/** The point-history projection's checkpoint as seen at `wallMs` (a bigint, to compare exactly). */
type CheckpointSample = { wallMs: number; position: bigint };
type OurEvent = { caused_by: string; position: string; recorded_ms: string };

type LagOptions = {
  ratePerSecond: number;
  seconds: number;
  newPurchase: () => PurchaseCompleted;
  publish: (purchase: PurchaseCompleted) => Promise<void>;
  poller: pg.Client;
  pollMs: number;
  drainTimeoutMs: number;
  probe: PhaseProbe;
};

/** What the publisher and the observer of one rate share. */
type LagPhase = {
  total: number;
  tracked: Tracked[];
  checkpoints: CheckpointSample[];
  pendingSamples: number[];
  behindSamples: number[];
  published: number;
  publishErrors: number;
  publishing: boolean;
};

export async function measureLagAtRate(options: LagOptions): Promise<LagResult> {
  const phase: LagPhase = {
    total: Math.round(options.ratePerSecond * options.seconds),
    tracked: [],
    checkpoints: [],
    pendingSamples: [],
    behindSamples: [],
    published: 0,
    publishErrors: 0,
    publishing: true,
  };
  const progress = createProgress();
  const observer = observe(options, phase, progress);
  const cpuBefore = options.probe.cpu();
  const started = performance.now();
  await publishOnSchedule(options, phase, started);
  const publishSeconds = (performance.now() - started) / 1000;
  const cpu = cpuBetween(cpuBefore, options.probe.cpu());
  phase.publishing = false;
  await observer;
  progress.done();

  const publishedAt = new Map(phase.tracked.map((t) => [t.purchase.eventId, t.publishedWallMs]));
  const seen = (await ourEvents(options.poller, phase.tracked)).flatMap((event) => {
    const sample = firstSampleReaching(phase.checkpoints, event);
    const publishedWallMs = publishedAt.get(event.caused_by);
    if (!sample || publishedWallMs === undefined) return [];
    return [{ publishedWallMs, appendStartedWallMs: Number(event.recorded_ms), visibleWallMs: sample.wallMs }];
  });
  return {
    ratePerSecond: options.ratePerSecond,
    seconds: options.seconds,
    published: phase.published,
    achievedRate: round(phase.published / publishSeconds) ?? 0,
    publishErrors: phase.publishErrors,
    observed: seen.length,
    visibleMs: summarize(seen.map((s) => s.visibleWallMs - s.publishedWallMs)),
    appendStartMs: summarize(seen.map((s) => s.appendStartedWallMs - s.publishedWallMs)),
    projectionMs: summarize(seen.map((s) => s.visibleWallMs - s.appendStartedWallMs)),
    sampledPendingEvents: summarize(phase.pendingSamples),
    sampledBehindMs: summarize(phase.behindSamples),
    cpu,
  };
}

/** This phase's events, and where each sits in the log. */
async function ourEvents(poller: pg.Client, tracked: readonly Tracked[]): Promise<OurEvent[]> {
  const { rows } = await poller.query<OurEvent>(
    `SELECT e.caused_by, e.position::text AS position,
            (extract(epoch FROM e.recorded_at) * 1000)::bigint::text AS recorded_ms
       FROM unnest($1::uuid[], $2::text[]) AS p(stream_id, caused_by)
       JOIN loyalty_point_events e ON e.stream_id = p.stream_id AND e.caused_by = p.caused_by`,
    [tracked.map((t) => t.purchase.customerId), tracked.map((t) => t.purchase.eventId)],
  );
  return rows;
}

/**
 * Follows the point-history checkpoint while publishing and until every event published is past it (or the drain
 * time is up). A history row is written in the transaction that moves the point-history checkpoint past its event:
 * so an event is visible from the first moment the checkpoint is at or past it. Polling that one row costs next to
 * nothing, unlike looking for thousands of history rows many times a second.
 */
async function observe(options: LagOptions, phase: LagPhase, progress: ReturnType<typeof createProgress>): Promise<void> {
  const { poller } = options;
  const lagsClient = benchSqlClient(poller);
  const label = `${options.ratePerSecond}/s`;
  let lastLagSample = 0;
  let drainDeadline = Number.POSITIVE_INFINITY;
  let drained = false;
  let latestLags = "";
  while (phase.publishing || (!drained && performance.now() < drainDeadline)) {
    if (!phase.publishing && drainDeadline === Number.POSITIVE_INFINITY) drainDeadline = performance.now() + options.drainTimeoutMs;
    const pollStartedWallMs = Date.now();
    const { rows } = await poller.query<{ position: string }>(
      `SELECT position::text AS position FROM loyalty_projection_checkpoints WHERE projection = 'point-history'`,
    );
    const latest = rows[0] && { wallMs: pollStartedWallMs, position: BigInt(rows[0].position) };
    // The checkpoint was there by the time this poll's snapshot was taken, just after it started.
    if (latest) phase.checkpoints.push(latest);
    if (performance.now() - lastLagSample >= 250) {
      lastLagSample = performance.now();
      const lags = await projectionLags(lagsClient);
      phase.pendingSamples.push(Math.max(...lags.map((lag) => lag.pendingEvents)));
      phase.behindSamples.push(Math.max(...lags.map((lag) => lag.behindMs)));
      latestLags = lags.map((lag) => `${lag.projection} ${lag.pendingEvents}`).join(", ");
      if (!phase.publishing && latest) {
        const events = await ourEvents(poller, phase.tracked);
        drained = events.length === phase.published && events.every((event) => atOrPast(latest, event));
      }
    }
    progress.update(
      `  ${label}  ${phase.publishing ? "publishing" : "draining"}  ${phase.published}/${phase.total} published; behind: ${latestLags}` +
        (phase.publishErrors > 0 ? `; ${phase.publishErrors} publish errors` : ""),
    );
    await sleep(options.pollMs);
  }
}

/** Publishes `total` purchases on a fixed schedule from `started`, without waiting for one before the next is due. */
async function publishOnSchedule(options: LagOptions, phase: LagPhase, started: number): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  const fire = (purchase: PurchaseCompleted) => {
    // Published = the moment the relay would call enqueue: the worker may take the job before the reply arrives here.
    const publishedWallMs = Date.now();
    const sent = options
      .publish(purchase)
      .then(() => {
        phase.published += 1;
        phase.tracked.push({ purchase, publishedWallMs });
      })
      .catch((error: unknown) => {
        phase.publishErrors += 1;
        if (phase.publishErrors === 1) console.error(`\n  publish failed: ${errorMessage(error)}`);
      })
      .finally(() => inFlight.delete(sent));
    inFlight.add(sent);
  };
  for (let sent = 0; sent < phase.total; ) {
    const due = Math.min(phase.total, Math.floor(((performance.now() - started) / 1000) * options.ratePerSecond) + 1);
    while (sent < due) {
      fire(options.newPurchase());
      sent += 1;
    }
    await sleep(2);
  }
  await Promise.all(inFlight);
}

/** Whether the checkpoint is at or past the event. */
function atOrPast(checkpoint: { position: bigint }, event: OurEvent): boolean {
  return checkpoint.position >= BigInt(event.position);
}

/** The first checkpoint sample at or past the event (the samples only ever move forward). */
function firstSampleReaching(samples: readonly CheckpointSample[], event: OurEvent): CheckpointSample | undefined {
  let low = 0;
  let high = samples.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (atOrPast(samples[middle] as CheckpointSample, event)) high = middle;
    else low = middle + 1;
  }
  return samples[low];
}
