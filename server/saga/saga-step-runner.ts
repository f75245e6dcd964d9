import { DomainError } from "@/server/errors";
import { logger } from "@/server/logger";
import { inTransaction, type SqlClient } from "@/server/sql";
import { maxAttemptsOf, type SagaDefinition, type SagaStep } from "./saga-definition";
import {
  applyFaultsAfterCommit,
  applyFaultsBefore,
  fireFaults,
  InjectedPermanentFailure,
  type FiredFault,
} from "./saga-faults";
import * as plan from "./saga-plan";
import type { SagaRegistry } from "./saga-registry";
import * as store from "./saga-store";
import type { SagaJob } from "./saga-store";

/**
 * Runs the deliveries of step jobs. Deliveries that arrive together run as a batch: ONE transaction locks their
 * sagas, runs each step's business write and records every saga's new state, so a batch of n steps costs n + 5
 * round trips (attempts, BEGIN, lock, n steps, new states, COMMIT) and one commit instead of about 6n round trips
 * and 2n commits: round trips, not SQL, are what a step costs (figures in the README's benchmark section). A step
 * that fails takes the batch's transaction with it; the batch's steps then run again one by one, each in its own
 * transaction, where a failure is that step's alone (retried, or compensated) — the batch is an optimisation,
 * never a change in what happens.
 */

export type RunOutcome = "succeeded" | "skipped" | "failed";

/** How one delivery ended: an outcome, or the error that asks the transport to deliver it again (with backoff). */
export type StepJobResult = { ok: true; outcome: RunOutcome } | { ok: false; error: unknown };

/** The job that comes next for a saga (none when it has finished), to schedule once the change has committed. */
export type NextJob = { sagaId: string; sagaType: string; next: plan.StepJobRef | null };

export type StepRunnerOptions = {
  registry: SagaRegistry;
  schedule(jobs: readonly NextJob[]): Promise<void>;
  /** Tells the engine's change listener which sagas' state just committed; never throws. */
  announce(sagaIds: readonly string[]): Promise<void>;
  recoverAfterMs: number;
  faultsEnabled: boolean;
};

/** Base delay of the exponential backoff between attempts of an action and of a compensation. */
export const BACKOFF_MS = { action: 200, compensation: 500 } as const;

/** A delivery whose attempt is counted, with the test/demo faults that fire for it. */
type Recorded = { job: SagaJob; attempts: number; faults: FiredFault[] };

type Ran = { outcome: "succeeded" | "skipped"; next: plan.StepJobRef | null };

export function createStepRunner(options: StepRunnerOptions) {
  const { registry } = options;
  const log = logger.child({ component: "saga-engine" });

  /** After a commit: the next jobs are scheduled and the change announced side by side (a page need not wait for BullMQ). */
  async function afterCommit(jobs: readonly NextJob[]): Promise<void> {
    await Promise.all([options.schedule(jobs), options.announce(jobs.map((job) => job.sagaId))]);
  }

  /** Runs one delivery. Throws only to ask the transport for a retry (with backoff). */
  async function runStepJob(job: SagaJob): Promise<RunOutcome> {
    const [recorded] = await recordDeliveries([job]);
    return runRecorded(recorded ?? { job, attempts: 1, faults: [] });
  }

  /** Runs deliveries that arrived together; never throws: each result says how its delivery ended. */
  async function runStepJobs(jobs: readonly SagaJob[]): Promise<StepJobResult[]> {
    // A saga's repeated delivery runs after the batch, on its own, and finds its step done.
    const firsts = jobs.filter((job, index) => jobs.findIndex((other) => other.sagaId === job.sagaId) === index);
    let records: Recorded[];
    try {
      records = await recordDeliveries(firsts);
    } catch (error) {
      return jobs.map(() => ({ ok: false, error }));
    }
    // A fired fault acts on one delivery (delays it, fails it): such deliveries run alone.
    const [alone, together] = await Promise.all([
      runAlone(records.filter((recorded) => recorded.faults.length > 0)),
      runTogether(records.filter((recorded) => recorded.faults.length === 0)),
    ]);
    const results = new Map<SagaJob, StepJobResult>([...alone, ...together]);
    const settled: StepJobResult[] = [];
    for (const job of jobs) settled.push(results.get(job) ?? (await settle(runStepJob(job))));
    return settled;
  }

  async function recordDeliveries(jobs: readonly SagaJob[]): Promise<Recorded[]> {
    const attempts = await store.recordAttempts(jobs);
    const faults = options.faultsEnabled ? await Promise.all(jobs.map(fireFaults)) : [];
    return jobs.map((job, index) => ({ job, attempts: attempts[index] ?? 1, faults: faults[index] ?? [] }));
  }

  function runAlone(records: readonly Recorded[]): Promise<(readonly [SagaJob, StepJobResult])[]> {
    return Promise.all(records.map(async (recorded) => [recorded.job, await settle(runRecorded(recorded))] as const));
  }

  async function runTogether(records: readonly Recorded[]): Promise<(readonly [SagaJob, StepJobResult])[]> {
    if (records.length < 2) return runAlone(records);
    const jobs = records.map((recorded) => recorded.job);
    let ran: Map<SagaJob, Ran>;
    try {
      ran = await inTransaction((tx) => runInTransaction(tx, jobs));
    } catch (error) {
      log.info({ err: error, steps: records.length }, "A batch of saga steps rolled back; running its steps one by one");
      return runAlone(records);
    }
    await afterCommit(jobs.map((job) => ({ sagaId: job.sagaId, sagaType: job.sagaType, next: ran.get(job)?.next ?? null })));
    return jobs.map((job) => [job, { ok: true, outcome: ran.get(job)?.outcome ?? "skipped" }] as const);
  }

  async function runRecorded({ job, attempts, faults }: Recorded): Promise<RunOutcome> {
    try {
      await applyFaultsBefore(job, faults);
      const ran = await inTransaction((tx) => runInTransaction(tx, [job]));
      // Announced right after the commit, even when a fault holds back the next job (the crash tests' window).
      const announced = options.announce([job.sagaId]);
      await applyFaultsAfterCommit(faults);
      const result = ran.get(job) ?? { outcome: "skipped", next: null };
      await Promise.all([options.schedule([{ sagaId: job.sagaId, sagaType: job.sagaType, next: result.next }]), announced]);
      return result.outcome;
    } catch (error) {
      return handleFailure(job, attempts, error);
    }
  }

  /** Locks the jobs' sagas, runs each job whose step is its saga's current one, and records every new state. */
  async function runInTransaction(tx: SqlClient, jobs: readonly SagaJob[]): Promise<Map<SagaJob, Ran>> {
    const sagas = await store.lockSagas(tx, jobs.map((job) => job.sagaId));
    const ran = new Map<SagaJob, Ran>();
    const due: { job: SagaJob; saga: store.LockedSaga; definition: SagaDefinition; step: SagaStep<unknown>; input: unknown }[] = [];
    for (const job of jobs) {
      const saga = sagas.get(job.sagaId);
      if (!saga) {
        ran.set(job, { outcome: "skipped", next: null });
      } else if (plan.phaseFor(saga.status) !== job.phase || saga.current_step !== job.step) {
        // A duplicate or late delivery: this step is done (or the saga moved on). Make sure the saga's real current
        // job exists — a worker may have died between committing a step and scheduling the next one.
        await store.recordSkipped(tx, job);
        const phase = plan.phaseFor(saga.status);
        ran.set(job, { outcome: "skipped", next: phase && saga.current_step ? { step: saga.current_step, phase } : null });
      } else {
        const definition = registry.definitionOf(job.sagaType);
        const step = registry.stepOf(definition, job.step);
        due.push({ job, saga, definition, step, input: definition.inputSchema.parse(saga.input) });
      }
    }
    // Shared rows in one order in every batch, hot ones last (see SagaStep.sharedRow): batches never deadlock, and
    // hold a product's stock row for as short a time as they can (bench:saga measured the difference: see the README).
    const orderOf = ({ step, input, job }: (typeof due)[number]) => {
      const shared = step.sharedRow?.(input);
      return `${shared ? `${shared.hot ? 1 : 0}\u0000${shared.row}` : ""}\u0000${job.sagaId}`;
    };
    due.sort((a, b) => (orderOf(a) < orderOf(b) ? -1 : 1));

    const changes: store.SagaChange[] = [];
    for (const { job, saga, definition, step, input } of due) {
      const context = { tx, sagaId: saga.id, input, outputs: saga.step_outputs, now: new Date() };
      if (job.phase === "action") {
        const result = await step.action(context);
        const transition = plan.afterAction(definition, step.name);
        changes.push({ job, transition, outcome: { status: "succeeded", output: result.output }, deadlineAt: result.deadlineAt });
      } else {
        await step.compensation?.({ ...context, output: saga.step_outputs[step.name] });
        const transition = plan.afterCompensation(definition, step.name);
        changes.push({ job, transition, outcome: { status: "succeeded", output: null } });
      }
    }
    if (changes.length > 0) await store.applyTransitions(tx, changes, options.recoverAfterMs);
    for (const change of changes) ran.set(change.job, { outcome: "succeeded", next: change.transition.next });
    return ran;
  }

  async function handleFailure(job: SagaJob, attempts: number, error: unknown): Promise<RunOutcome> {
    const definition = registry.definitionOf(job.sagaType);
    const step = registry.stepOf(definition, job.step);
    const message = error instanceof Error ? error.message : String(error);
    // A business refusal (DomainError) is not a bug: its stack says nothing an operator needs.
    const stack = error instanceof Error && !(error instanceof DomainError) ? error.stack : undefined;
    const permanent = error instanceof DomainError || error instanceof InjectedPermanentFailure;
    const maxAttempts = maxAttemptsOf(step, job.phase);
    if (!permanent && attempts < maxAttempts) {
      const backoffMs = BACKOFF_MS[job.phase] * 2 ** (attempts - 1);
      await store.recordRetry(job, { message, stack }, backoffMs + options.recoverAfterMs);
      // The step now shows as retrying.
      await options.announce([job.sagaId]);
      log.warn({ ...job, attempts, err: error }, "Saga step failed; retrying");
      throw error;
    }

    const reason = permanent ? message : `${job.step} kept failing after ${attempts} attempts: ${message}`;
    const next = await inTransaction(async (tx) => {
      const saga = await store.lockSaga(tx, job.sagaId);
      if (!saga || plan.phaseFor(saga.status) !== job.phase || saga.current_step !== job.step) return null;
      const transition =
        job.phase === "action" ? plan.compensateBefore(definition, job.step) : plan.needsAttention(job.step);
      const outcome = { status: "failed" as const, error: message, stack };
      await store.applyTransition(tx, { job, transition, outcome, failure: { reason, step: job.step } }, options.recoverAfterMs);
      return transition.next;
    });
    log[job.phase === "action" ? "info" : "error"]({ ...job, attempts, reason }, "Saga step failed for good");
    await afterCommit([{ sagaId: job.sagaId, sagaType: job.sagaType, next }]);
    return "failed";
  }

  return { runStepJob, runStepJobs };
}

function settle(run: Promise<RunOutcome>): Promise<StepJobResult> {
  return run.then(
    (outcome) => ({ ok: true, outcome }),
    (error: unknown) => ({ ok: false, error }),
  );
}
