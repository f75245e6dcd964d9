import { randomUUID } from "node:crypto";
import { db } from "@/server/db";
import { DomainError } from "@/server/errors";
import { logger } from "@/server/logger";
import { inTransaction, type SqlClient } from "@/server/sql";
import { maxAttemptsOf, type SagaDefinition, type SagaPhase, type SagaStep } from "./saga-definition";
import { applyFaultsAfterCommit, applyFaultsBefore, fireFaults, InjectedPermanentFailure } from "./saga-faults";
import * as plan from "./saga-plan";
import * as store from "./saga-store";
import type { SagaJob } from "./saga-store";

/** Schedules a step's job on the transport (BullMQ in production). The engine itself knows nothing of queues. */
export type SagaScheduler = {
  schedule(job: SagaJob, retry: { attempts: number; backoffMs: number }): Promise<void>;
};

export type SagaEngineOptions = {
  // Definitions are stored erased: each one validates its own input with its schema.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  sagas: readonly SagaDefinition<any>[];
  scheduler: SagaScheduler;
  /** How long a scheduled job may take to run before the recovery sweep schedules it again. */
  recoverAfterMs: number;
  /** Test/demo mode only: consult the saga_faults table. */
  faultsEnabled: boolean;
};

export type RunOutcome = "succeeded" | "skipped" | "failed" | "retry";

/** What an operator's action did: `done` false when there was nothing to do (e.g. clicked twice). */
export type OperatorOutcome = { done: boolean; message: string };

/** Base delay of the exponential backoff between attempts of an action and of a compensation. */
const BACKOFF_MS: Record<SagaPhase, number> = { action: 200, compensation: 500 };

export type SagaEngine = ReturnType<typeof createSagaEngine>;

/** The orchestrator: starts sagas, runs their step jobs, recovers lost jobs and cancels overdue sagas. */
export function createSagaEngine(options: SagaEngineOptions) {
  const definitions = new Map(options.sagas.map((saga) => [saga.type, saga as SagaDefinition]));
  const log = logger.child({ component: "saga-engine" });

  function definitionOf(type: string): SagaDefinition {
    const definition = definitions.get(type);
    if (!definition) throw new Error(`No saga of type "${type}" is registered`);
    return definition;
  }

  function stepOf(definition: SagaDefinition, name: string): SagaStep<unknown> {
    const step = definition.steps.find((candidate) => candidate.name === name);
    if (!step) throw new Error(`Saga ${definition.type} has no step "${name}"`);
    return step;
  }

  async function schedule(sagaId: string, sagaType: string, next: plan.StepJobRef | null): Promise<void> {
    if (!next) return;
    const step = stepOf(definitionOf(sagaType), next.step);
    const job = { sagaId, sagaType, ...next };
    try {
      await options.scheduler.schedule(job, { attempts: maxAttemptsOf(step, next.phase), backoffMs: BACKOFF_MS[next.phase] });
    } catch (error) {
      // PostgreSQL already holds the new state: the recovery sweep schedules the job once Redis is back.
      log.warn({ err: error, ...job }, "Could not schedule a saga job; the recovery sweep will");
    }
  }

  /**
   * Starts a saga: its row (and whatever `alongside` writes, e.g. the checkout) in one transaction, then the first
   * job. Returns once the saga is stored, without waiting for any step.
   */
  async function start(args: {
    sagaType: string;
    input: unknown;
    sagaId?: string;
    alongside?: (tx: SqlClient, sagaId: string) => Promise<void>;
  }): Promise<string> {
    const definition = definitionOf(args.sagaType);
    const sagaId = args.sagaId ?? randomUUID();
    const input = definition.inputSchema.parse(args.input);
    const transition = plan.start(definition);
    // pg's pool queues a burst of starts for a connection without a deadline (Prisma's 2 s wait answered a burst of
    // 200 checkouts with 500s): every one is answered, a little later.
    await inTransaction(async (tx) => {
      await store.insertSaga(tx, { id: sagaId, type: definition.type, input, transition, recoverAfterMs: options.recoverAfterMs });
      await args.alongside?.(tx, sagaId);
    });
    await schedule(sagaId, definition.type, transition.next);
    return sagaId;
  }

  /** Runs one delivery of a step job. Throws only to ask the transport for a retry (with backoff). */
  async function runStepJob(job: SagaJob): Promise<RunOutcome> {
    const definition = definitionOf(job.sagaType);
    const step = stepOf(definition, job.step);
    const attempts = await store.recordAttempt(job);
    const faults = options.faultsEnabled ? await fireFaults(job) : [];
    try {
      await applyFaultsBefore(job, faults);
      const result = await inTransaction((tx) => runInTransaction(tx, definition, step, job));
      await applyFaultsAfterCommit(faults);
      await schedule(job.sagaId, job.sagaType, result.next);
      return result.outcome;
    } catch (error) {
      return handleFailure(definition, step, job, attempts, error);
    }
  }

  async function runInTransaction(tx: SqlClient, definition: SagaDefinition, step: SagaStep<unknown>, job: SagaJob) {
    const saga = await store.lockSaga(tx, job.sagaId);
    if (!saga) return { outcome: "skipped" as const, next: null };
    if (plan.phaseFor(saga.status) !== job.phase || saga.current_step !== job.step) {
      // A duplicate or late delivery: this step is done (or the saga moved on). Make sure the saga's real current
      // job exists — a worker may have died between committing a step and scheduling the next one.
      await store.recordSkipped(tx, job);
      const phase = plan.phaseFor(saga.status);
      return { outcome: "skipped" as const, next: phase && saga.current_step ? { step: saga.current_step, phase } : null };
    }
    const context = {
      tx,
      sagaId: saga.id,
      input: definition.inputSchema.parse(saga.input),
      outputs: saga.step_outputs,
      now: new Date(),
    };
    if (job.phase === "action") {
      const result = await step.action(context);
      const transition = plan.afterAction(definition, step.name);
      await store.applyTransition(tx, job, {
        transition,
        outcome: { status: "succeeded", output: result.output },
        deadlineAt: result.deadlineAt,
        recoverAfterMs: options.recoverAfterMs,
      });
      return { outcome: "succeeded" as const, next: transition.next };
    }
    await step.compensation?.({ ...context, output: saga.step_outputs[step.name] });
    const transition = plan.afterCompensation(definition, step.name);
    await store.applyTransition(tx, job, {
      transition,
      outcome: { status: "succeeded", output: null },
      recoverAfterMs: options.recoverAfterMs,
    });
    return { outcome: "succeeded" as const, next: transition.next };
  }

  async function handleFailure(
    definition: SagaDefinition,
    step: SagaStep<unknown>,
    job: SagaJob,
    attempts: number,
    error: unknown,
  ): Promise<RunOutcome> {
    const message = error instanceof Error ? error.message : String(error);
    // A business refusal (DomainError) is not a bug: its stack says nothing an operator needs.
    const stack = error instanceof Error && !(error instanceof DomainError) ? error.stack : undefined;
    const permanent = error instanceof DomainError || error instanceof InjectedPermanentFailure;
    const maxAttempts = maxAttemptsOf(step, job.phase);
    if (!permanent && attempts < maxAttempts) {
      const backoffMs = BACKOFF_MS[job.phase] * 2 ** (attempts - 1);
      await store.recordRetry(job, { message, stack }, backoffMs + options.recoverAfterMs);
      log.warn({ ...job, attempts, err: error }, "Saga step failed; retrying");
      throw error;
    }

    const reason = permanent ? message : `${job.step} kept failing after ${attempts} attempts: ${message}`;
    const next = await inTransaction(async (tx) => {
      const saga = await store.lockSaga(tx, job.sagaId);
      if (!saga || plan.phaseFor(saga.status) !== job.phase || saga.current_step !== job.step) return null;
      const transition =
        job.phase === "action" ? plan.compensateBefore(definition, job.step) : plan.needsAttention(job.step);
      await store.applyTransition(tx, job, {
        transition,
        outcome: { status: "failed", error: message, stack },
        failure: { reason, step: job.step },
        recoverAfterMs: options.recoverAfterMs,
      });
      return transition.next;
    });
    log[job.phase === "action" ? "info" : "error"]({ ...job, attempts, reason }, "Saga step failed for good");
    await schedule(job.sagaId, job.sagaType, next);
    return "failed";
  }

  /**
   * One pass of the recovery sweep (run periodically by every worker process; they never pick the same saga):
   * cancels running sagas past their deadline, and schedules again every job that is overdue. Nothing depends on
   * Redis still holding a job.
   */
  async function sweep(limit = 200): Promise<{ cancelled: number; rescheduled: number }> {
    const cancelled = await inTransaction(async (tx) => {
      const sagas = await store.lockSagasPastDeadline(tx, limit);
      for (const saga of sagas) await cancelLocked(tx, saga, definitionOf(saga.saga_type).deadlineReason);
      return sagas;
    });
    for (const saga of cancelled) await scheduleCurrent(saga.id);

    const overdue = await inTransaction(async (tx) => {
      const sagas = await store.lockOverdueSagas(tx, limit);
      if (sagas.length > 0) await store.postponeRecovery(tx, sagas.map((saga) => saga.id), options.recoverAfterMs);
      return sagas;
    });
    for (const saga of overdue) {
      const phase = plan.phaseFor(saga.status);
      if (phase) await schedule(saga.id, saga.saga_type, { step: saga.current_step, phase });
    }
    if (cancelled.length + overdue.length > 0) {
      log.info({ cancelled: cancelled.length, rescheduled: overdue.length }, "Recovery sweep acted");
    }
    return { cancelled: cancelled.length, rescheduled: overdue.length };
  }

  async function cancelLocked(tx: SqlClient, saga: store.ActiveSagaRow, reason: string) {
    const definition = definitionOf(saga.saga_type);
    const job = { sagaId: saga.id, sagaType: saga.saga_type, step: saga.current_step, phase: "action" as const };
    // An attempt of the current step may be in flight: it will find the saga compensating and stand down.
    await store.applyTransition(tx, job, {
      transition: plan.compensateBefore(definition, saga.current_step),
      outcome: { status: "skipped" },
      failure: { reason, step: saga.current_step },
      recoverAfterMs: options.recoverAfterMs,
    });
  }

  /** An operator asks a saga that needs attention to run its failed compensation again (the cause fixed). */
  async function retryCompensation(sagaId: string): Promise<OperatorOutcome> {
    const result = await inTransaction(async (tx) => {
      const saga = await store.lockSaga(tx, sagaId);
      if (!saga) return { done: false, message: "There is no such saga." };
      if (saga.status !== "needs_attention" || !saga.current_step) {
        return { done: false, message: `The saga is ${saga.status.replace("_", " ")}: it has no failed compensation to retry.` };
      }
      await store.reopenSaga(tx, sagaId, plan.retryCompensation(saga.current_step), options.recoverAfterMs);
      return { done: true, message: `Retrying the ${saga.current_step} compensation.` };
    });
    if (result.done) await scheduleCurrent(sagaId);
    return result;
  }

  /** An operator cancels a running saga: it is compensated like one past its deadline. */
  async function cancel(sagaId: string, reason: string): Promise<OperatorOutcome> {
    const result = await inTransaction(async (tx) => {
      const saga = await store.lockSaga(tx, sagaId);
      if (!saga) return { done: false, message: "There is no such saga." };
      if (saga.status !== "running" || !saga.current_step) {
        return { done: false, message: `The saga is ${saga.status.replace("_", " ")}: only a running saga can be cancelled.` };
      }
      await cancelLocked(tx, { ...saga, current_step: saga.current_step }, reason);
      return { done: true, message: "Cancelled: what it did is being undone." };
    });
    if (result.done) await scheduleCurrent(sagaId);
    return result;
  }

  /** An operator re-enqueues the current step of a saga that seems stuck (a job already queued stays one job). */
  async function redrive(sagaId: string): Promise<OperatorOutcome> {
    const saga = await db.sagaInstance.findUnique({ where: { id: sagaId }, select: { status: true, currentStep: true } });
    if (!saga) return { done: false, message: "There is no such saga." };
    if (!plan.phaseFor(saga.status) || !saga.currentStep) {
      return { done: false, message: `The saga is ${saga.status.replace("_", " ")}: it has no step to redrive.` };
    }
    await scheduleCurrent(sagaId);
    return { done: true, message: `Enqueued ${saga.currentStep} (${plan.phaseFor(saga.status)}) again.` };
  }

  /** Schedules the job a saga's stored state says is next (after a cancel, or for an operator's redrive). */
  async function scheduleCurrent(sagaId: string): Promise<void> {
    const saga = await db.sagaInstance.findUnique({ where: { id: sagaId }, select: { sagaType: true, status: true, currentStep: true } });
    const phase = saga && plan.phaseFor(saga.status);
    if (saga && phase && saga.currentStep) await schedule(sagaId, saga.sagaType, { step: saga.currentStep, phase });
  }

  return { start, runStepJob, sweep, scheduleCurrent, retryCompensation, cancel, redrive };
}
