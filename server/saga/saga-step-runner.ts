import { DomainError } from "@/server/errors";
import { logger } from "@/server/logger";
import { inTransaction, type SqlClient } from "@/server/sql";
import { maxAttemptsOf } from "./saga-definition";
import { advance, findWork, type Delivery, type Due } from "./saga-delivery";
import {
  applyFaultsAfterCommit,
  applyFaultsBefore,
  fireFaults,
  InjectedPermanentFailure,
  type FiredFault,
} from "./saga-faults";
import type { SagaObserver } from "./saga-observer";
import * as plan from "./saga-plan";
import type { SagaRegistry } from "./saga-registry";
import * as store from "./saga-store";
import type { SagaJob } from "./saga-store";
import type { SagaStatus } from "./saga-status";

/**
 * Runs the deliveries of step jobs. Deliveries that arrive together run as a batch: ONE transaction locks their
 * sagas, runs each step's business write and records every saga's new state, so a batch of n steps costs n + 5
 * round trips (attempts, BEGIN, lock, n steps, new states, COMMIT) and one commit instead of about 6n round trips
 * and 2n commits: round trips, not SQL, are what a step costs (figures in the README's benchmark section). A step
 * that fails takes the batch's transaction with it; the batch's steps then run again one by one, each in its own
 * transaction, where a failure is that step's alone (retried, or compensated) — the batch is an optimisation,
 * never a change in what happens. Replies to the messages steps sent (see SagaStep's awaitReply) go the same way.
 */

export type RunOutcome = "succeeded" | "skipped" | "failed";

/** How one delivery ended: an outcome, or the error that asks the transport to deliver it again (with backoff). */
export type StepJobResult = { ok: true; outcome: RunOutcome } | { ok: false; error: unknown };

/** A reply to the message a saga's step sent, for the step and phase it answers. */
export type SagaReply = SagaJob & { reply: unknown };

/** The job that comes next for a saga (none when it has finished), to schedule once the change has committed. */
export type NextJob = { sagaId: string; sagaType: string; next: plan.StepJobRef | null };

export type StepRunnerOptions = {
  registry: SagaRegistry;
  schedule(jobs: readonly NextJob[]): Promise<void>;
  /** Tells the engine's change listener which sagas' state just committed; never throws. */
  announce(sagaIds: readonly string[]): Promise<void>;
  /** After a commit in which steps sent the messages they now wait on (see SagaEngineOptions.onMessagesSent). */
  messagesSent?(): void;
  recoverAfterMs: number;
  faultsEnabled: boolean;
  /** Told, after each commit, how long the steps ran and where their sagas now stand (the metrics). */
  observer: Required<SagaObserver>;
};

/** Base delay of the exponential backoff between attempts of an action and of a compensation. */
export const BACKOFF_MS = { action: 200, compensation: 500 } as const;

/** A delivery (its attempt counted, if a step's job) with the test/demo faults that fire for it, and what it came as. */
type Recorded = Delivery & { faults: FiredFault[]; source: SagaJob };

/** What a delivery did; a step that ran says the saga's new status and its own run time, for the observer. */
type Ran = { outcome: "succeeded" | "skipped"; next: plan.StepJobRef | null; waits?: boolean; status?: SagaStatus; seconds?: number };

export function createStepRunner(options: StepRunnerOptions) {
  const { registry, observer } = options;
  const log = logger.child({ component: "saga-engine" });

  /** After a commit: the next jobs are scheduled and the change announced side by side (a page need not wait for BullMQ). */
  async function afterCommit(jobs: readonly NextJob[]): Promise<void> {
    await Promise.all([options.schedule(jobs), options.announce(jobs.map((job) => job.sagaId))]);
  }

  /** Runs one delivery. Throws only to ask the transport for a retry (with backoff). */
  async function runStepJob(job: SagaJob): Promise<RunOutcome> {
    const [recorded] = await recordDeliveries([job]);
    return runRecorded(recorded ?? { job, source: job, attempts: 1, faults: [] });
  }

  /** Runs deliveries that arrived together; never throws: each result says how its delivery ended. */
  async function runStepJobs(jobs: readonly SagaJob[]): Promise<StepJobResult[]> {
    // A saga's repeated delivery runs after the batch, on its own, and finds its step done.
    let records: Recorded[];
    try {
      records = await recordDeliveries(firstPerSaga(jobs));
    } catch (error) {
      return jobs.map(() => ({ ok: false, error }));
    }
    // A fired fault acts on one delivery (delays it, fails it): such deliveries run alone.
    const [alone, together] = await Promise.all([
      runAlone(records.filter((recorded) => recorded.faults.length > 0)),
      runTogether(records.filter((recorded) => recorded.faults.length === 0)),
    ]);
    return settleEach(jobs, new Map([...alone, ...together].map(([recorded, result]) => [recorded.job, result])), runStepJob);
  }

  /**
   * Hands replies to the steps waiting for them, in one transaction for those that arrived together (as step jobs
   * go); never throws. A reply its saga is not waiting for (late, repeated, for a step it has left) changes nothing.
   * A result that is not ok asks the transport to deliver that reply again.
   */
  async function deliverReplies(replies: readonly SagaReply[]): Promise<StepJobResult[]> {
    const ran = await runTogether(firstPerSaga(replies).map(replyDelivery));
    const results = new Map<SagaJob, StepJobResult>(ran.map(([recorded, result]) => [recorded.source, result]));
    return settleEach(replies, results, (reply) => runRecorded(replyDelivery(reply)));
  }

  /** Hands one reply to the step waiting for it; throws only to ask the transport to deliver it again. */
  async function deliverReply(reply: SagaReply): Promise<RunOutcome> {
    return runRecorded(replyDelivery(reply));
  }

  async function recordDeliveries(jobs: readonly SagaJob[]): Promise<Recorded[]> {
    const attempts = await store.recordAttempts(jobs);
    const faults = options.faultsEnabled ? await Promise.all(jobs.map(fireFaults)) : [];
    return jobs.map((job, index) => ({ job, source: job, attempts: attempts[index] ?? 1, faults: faults[index] ?? [] }));
  }

  type Settled = readonly [Recorded, StepJobResult];

  function runAlone(records: readonly Recorded[]): Promise<Settled[]> {
    return Promise.all(records.map(async (recorded) => [recorded, await settle(runRecorded(recorded))] as const));
  }

  async function runTogether(records: readonly Recorded[]): Promise<Settled[]> {
    if (records.length < 2) return runAlone(records);
    let ran: Map<Delivery, Ran>;
    try {
      ran = await inTransaction((tx) => runInTransaction(tx, records));
    } catch (error) {
      log.info({ err: error, steps: records.length }, "A batch of saga steps rolled back; running its steps one by one");
      return runAlone(records);
    }
    tellIfWaiting(ran);
    observe(ran);
    await afterCommit(records.map((recorded) => ({ sagaId: recorded.job.sagaId, sagaType: recorded.job.sagaType, next: ran.get(recorded)?.next ?? null })));
    return records.map((recorded) => [recorded, { ok: true, outcome: ran.get(recorded)?.outcome ?? "skipped" }] as const);
  }

  async function runRecorded(recorded: Recorded): Promise<RunOutcome> {
    const { job, faults } = recorded;
    try {
      await applyFaultsBefore(job, faults);
      const ran = await inTransaction((tx) => runInTransaction(tx, [recorded]));
      // Announced right after the commit, even when a fault holds back the next job (the crash tests' window).
      const announced = options.announce([job.sagaId]);
      tellIfWaiting(ran);
      observe(ran);
      await applyFaultsAfterCommit(faults);
      const result = ran.get(recorded) ?? { outcome: "skipped", next: null };
      await Promise.all([options.schedule([{ sagaId: job.sagaId, sagaType: job.sagaType, next: result.next }]), announced]);
      return result.outcome;
    } catch (error) {
      return handleFailure(recorded, error);
    }
  }

  /** Locks the deliveries' sagas, runs each delivery that finds work at its saga, and records every new state. */
  async function runInTransaction(tx: SqlClient, deliveries: readonly Delivery[]): Promise<Map<Delivery, Ran>> {
    const sagas = await store.lockSagas(tx, deliveries.map(({ job }) => job.sagaId));
    const ran = new Map<Delivery, Ran>();
    const due: Due[] = [];
    for (const delivery of deliveries) {
      const saga = sagas.get(delivery.job.sagaId);
      const found = findWork(saga, delivery);
      if (found.due && saga) {
        const definition = registry.definitionOf(saga.saga_type);
        const step = registry.stepOf(definition, delivery.job.step);
        due.push({ delivery, saga, definition, step, input: definition.inputSchema.parse(saga.input) });
        continue;
      }
      if (found.due || found.why === "no saga") {
        ran.set(delivery, { outcome: "skipped", next: null });
        continue;
      }
      if (delivery.reply) log.info({ ...delivery.job }, "A reply came for a step no longer waiting for it: nothing to do");
      else if (found.why === "moved on") await store.recordSkipped(tx, delivery.job);
      ran.set(delivery, { outcome: "skipped", next: found.next });
    }
    // Shared rows in one order in every batch, hot ones last (see SagaStep.sharedRow): batches never deadlock, and
    // hold a product's stock row for as short a time as they can (bench:saga measured the difference: see the README).
    const orderOf = ({ step, input, delivery }: Due) => {
      const shared = step.sharedRow?.(input);
      return `${shared ? `${shared.hot ? 1 : 0}\u0000${shared.row}` : ""}\u0000${delivery.job.sagaId}`;
    };
    due.sort((a, b) => (orderOf(a) < orderOf(b) ? -1 : 1));

    const changes = new Map<Delivery, store.SagaChange>();
    const seconds = new Map<Delivery, number>();
    for (const each of due) {
      const began = performance.now();
      changes.set(each.delivery, await advance(tx, each, new Date()));
      seconds.set(each.delivery, (performance.now() - began) / 1_000);
    }
    if (changes.size > 0) await store.applyTransitions(tx, [...changes.values()], options.recoverAfterMs);
    for (const [delivery, change] of changes) {
      const { transition, outcome } = change;
      // A wait that ended without its reply ran no step (its outcome is that failure): no run time to tell.
      const stepRan = outcome.status === "succeeded" || outcome.status === "awaiting";
      const waits = outcome.status === "awaiting";
      ran.set(delivery, { outcome: "succeeded", next: transition.next, waits, status: transition.status, seconds: stepRan ? seconds.get(delivery) : undefined });
    }
    return ran;
  }

  /** After the commit: each step's run time and its saga's new status. */
  function observe(ran: ReadonlyMap<Delivery, Ran>): void {
    for (const [{ job }, each] of ran) {
      if (each.status === undefined) continue;
      if (each.seconds !== undefined) observer.stepRan({ sagaType: job.sagaType, step: job.step, phase: job.phase, seconds: each.seconds });
      observer.sagaMoved(job.sagaType, each.status);
    }
  }

  function tellIfWaiting(ran: ReadonlyMap<Delivery, Ran>): void {
    if ([...ran.values()].some((each) => each.waits)) options.messagesSent?.();
  }

  async function handleFailure(recorded: Recorded, error: unknown): Promise<RunOutcome> {
    const { job, attempts, reply } = recorded;
    const definition = registry.definitionOf(job.sagaType);
    const step = registry.stepOf(definition, job.step);
    const message = error instanceof Error ? error.message : String(error);
    // A business refusal (DomainError) is not a bug: its stack says nothing an operator needs.
    const stack = error instanceof Error && !(error instanceof DomainError) ? error.stack : undefined;
    const permanent = error instanceof DomainError || error instanceof InjectedPermanentFailure;
    // A reply that could not be handled stays the reply's transport's to deliver again; the step keeps waiting.
    if (reply && !permanent) throw error;
    const maxAttempts = maxAttemptsOf(step, job.phase);
    if (!reply && !permanent && attempts < maxAttempts) {
      const backoffMs = BACKOFF_MS[job.phase] * 2 ** (attempts - 1);
      await store.recordRetry(job, { message, stack }, backoffMs + options.recoverAfterMs);
      // The step now shows as retrying.
      await options.announce([job.sagaId]);
      log.warn({ ...job, attempts, err: error }, "Saga step failed; retrying");
      throw error;
    }

    const reason = permanent ? message : `${job.step} kept failing after ${attempts} attempts: ${message}`;
    const moved = await inTransaction(async (tx) => {
      const saga = await store.lockSaga(tx, job.sagaId);
      if (!saga || !findWork(saga, recorded).due) return null;
      const input = definition.inputSchema.parse(saga.input);
      const transition =
        job.phase === "action" ? plan.compensateBefore(definition, job.step, input) : plan.needsAttention(job.step);
      const outcome = { status: "failed" as const, error: message, stack };
      await store.applyTransition(tx, { job, transition, outcome, failure: { reason, step: job.step }, reply }, options.recoverAfterMs);
      return transition;
    });
    if (moved) observer.sagaMoved(job.sagaType, moved.status);
    log[job.phase === "action" ? "info" : "error"]({ ...job, attempts, reason }, "Saga step failed for good");
    await afterCommit([{ sagaId: job.sagaId, sagaType: job.sagaType, next: moved?.next ?? null }]);
    return "failed";
  }

  return { runStepJob, runStepJobs, deliverReply, deliverReplies };
}

/** The first delivery of each saga: a batch locks each saga once, and a saga's repeats run after it, one by one. */
function firstPerSaga<T extends SagaJob>(items: readonly T[]): T[] {
  return items.filter((item, index) => items.findIndex((other) => other.sagaId === item.sagaId) === index);
}

/** Each item's result from the batch, or (a saga's repeat) from running it on its own afterwards. */
async function settleEach<T extends SagaJob>(
  items: readonly T[],
  results: ReadonlyMap<SagaJob, StepJobResult>,
  runOnItsOwn: (item: T) => Promise<RunOutcome>,
): Promise<StepJobResult[]> {
  const settled: StepJobResult[] = [];
  const taken = new Set<T>();
  for (const item of items) {
    const result = taken.has(item) ? undefined : results.get(item);
    taken.add(item);
    settled.push(result ?? (await settle(runOnItsOwn(item))));
  }
  return settled;
}

/** A reply as a delivery: not an attempt of the step, and no fault fires for it. */
function replyDelivery(reply: SagaReply): Recorded {
  const { reply: value, ...job } = reply;
  return { job, source: reply, attempts: 0, faults: [], reply: { value } };
}

function settle(run: Promise<RunOutcome>): Promise<StepJobResult> {
  return run.then(
    (outcome) => ({ ok: true, outcome }),
    (error: unknown) => ({ ok: false, error }),
  );
}
