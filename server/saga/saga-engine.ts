import { randomUUID } from "node:crypto";
import { DomainError } from "@/server/errors";
import { logger } from "@/server/logger";
import { inTransaction, sqlPool, together, type SqlClient, type SqlQuery } from "@/server/sql";
import { maxAttemptsOf, type SagaDefinition } from "./saga-definition";
import { guardedObserver, type SagaObserver } from "./saga-observer";
import * as plan from "./saga-plan";
import { createSagaRegistry } from "./saga-registry";
import * as store from "./saga-store";
import type { SagaJob } from "./saga-store";
import { BACKOFF_MS, createStepRunner, type NextJob } from "./saga-step-runner";

/** A step's job with its retry policy, for the transport. */
export type ScheduledJob = { job: SagaJob; retry: { attempts: number; backoffMs: number } };

/** Schedules steps' jobs on the transport (BullMQ in production). The engine itself knows nothing of queues. */
export type SagaScheduler = {
  schedule(jobs: readonly ScheduledJob[]): Promise<void>;
};

/**
 * Told the ids of sagas whose stored state has just changed, after the change COMMITTED: started, a step or a
 * compensation done, a retry recorded, a new status. A port for whatever wants to know at once (the web process's live
 * checkout pages, through Redis pub/sub); PostgreSQL stays the truth, so a listener re-reads and never trusts this
 * call for the state itself. A failure is logged and otherwise ignored: the saga goes on regardless.
 */
export type SagaChangeListener = (sagaIds: readonly string[]) => Promise<void>;

export type SagaEngineOptions = {
  // Definitions are stored erased: each one validates its own input with its schema.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  sagas: readonly SagaDefinition<any>[];
  scheduler: SagaScheduler;
  /** How long a scheduled job may take to run before the recovery sweep schedules it again. */
  recoverAfterMs: number;
  /** Test/demo mode only: consult the saga_faults table. */
  faultsEnabled: boolean;
  onSagasChanged?: SagaChangeListener;
  /**
   * Called after a commit in which steps sent messages (in their transaction) and now wait for the replies, so that
   * the transport can carry them out at once instead of at its next poll: the wait is a shopper's. Must not throw.
   */
  onMessagesSent?: () => void;
  /** Told what happened after each commit: starts, new statuses, step run times (the metrics). Must be cheap. */
  observer?: SagaObserver;
};

/** An operator named a saga that does not exist: nothing is done and nothing recorded (the caller's 404). */
function noSuchSaga(): DomainError {
  return new DomainError("NOT_FOUND", "There is no such saga.");
}

/** What an operator's action did: `done` false when there was nothing to do (e.g. clicked twice). */
export type OperatorOutcome = { done: boolean; message: string };
/** Writes the record of an operator's action (the audit line) in the action's own transaction. */
export type OperatorRecord = (tx: SqlClient, outcome: OperatorOutcome) => Promise<void>;

export type SagaEngine = ReturnType<typeof createSagaEngine>;

/** The orchestrator: starts sagas, runs their step jobs, recovers lost jobs and cancels overdue sagas. */
export function createSagaEngine(options: SagaEngineOptions) {
  const registry = createSagaRegistry(options.sagas);
  const { definitionOf } = registry;
  const log = logger.child({ component: "saga-engine" });
  const observer = guardedObserver(options.observer);

  async function schedule(jobs: readonly NextJob[]): Promise<void> {
    const scheduled: ScheduledJob[] = [];
    for (const { sagaId, sagaType, next } of jobs) {
      if (!next) continue;
      const step = registry.stepOf(definitionOf(sagaType), next.step);
      const retry = { attempts: maxAttemptsOf(step, next.phase), backoffMs: BACKOFF_MS[next.phase] };
      scheduled.push({ job: { sagaId, sagaType, ...next }, retry });
    }
    if (scheduled.length === 0) return;
    try {
      await options.scheduler.schedule(scheduled);
    } catch (error) {
      // PostgreSQL already holds the new state: the recovery sweep schedules the jobs once Redis is back.
      log.warn({ err: error, jobs: scheduled.length }, "Could not schedule saga jobs; the recovery sweep will");
    }
  }

  /** Tells the listener, never throwing: a saga must not stall because nobody could be told. */
  async function announce(sagaIds: readonly string[]): Promise<void> {
    if (!options.onSagasChanged || sagaIds.length === 0) return;
    try {
      await options.onSagasChanged(sagaIds);
    } catch (error) {
      log.warn({ err: error, sagas: sagaIds.length }, "Could not announce saga changes");
    }
  }

  const runner = createStepRunner({
    registry,
    schedule,
    announce,
    messagesSent: options.onMessagesSent,
    recoverAfterMs: options.recoverAfterMs,
    faultsEnabled: options.faultsEnabled,
    observer,
  });

  /**
   * Starts a saga: its row, and what `alongside` writes with it (e.g. the checkout), both or neither; then the first
   * job. Returns once the saga is stored, without waiting for any step.
   */
  async function start(args: {
    sagaType: string;
    input: unknown;
    sagaId?: string;
    /**
     * Written together with the saga's row, both or neither: one statement (an INSERT, say), or work in the same
     * transaction, run after the saga's row is written, that may refuse the start by throwing (nothing is then kept).
     */
    alongside?: SqlQuery | ((tx: SqlClient) => Promise<void>);
  }): Promise<string> {
    const definition = definitionOf(args.sagaType);
    const sagaId = args.sagaId ?? randomUUID();
    const input = definition.inputSchema.parse(args.input);
    const transition = plan.start(definition, input);
    const insert = store.insertSaga({ id: sagaId, type: definition.type, input, transition, recoverAfterMs: options.recoverAfterMs });
    // pg's pool queues a burst of starts for a connection without a deadline (a short wait for a connection answered
    // a flash-sale burst with 500s): every one is answered, a little later.
    const alongside = args.alongside;
    if (typeof alongside === "function") {
      await inTransaction(async (tx) => {
        await tx.count(insert);
        await alongside(tx);
      });
    } else {
      await sqlPool.count(alongside ? together(insert, alongside) : insert);
    }
    observer.sagaStarted(definition.type);
    await Promise.all([schedule([{ sagaId, sagaType: definition.type, next: transition.next }]), announce([sagaId])]);
    return sagaId;
  }

  /**
   * One pass of the recovery sweep (run periodically by every worker process; they never pick the same saga):
   * cancels running sagas past their deadline, and schedules again every job that is overdue. Nothing depends on
   * Redis still holding a job.
   */
  async function sweep(limit = 200): Promise<{ cancelled: number; rescheduled: number }> {
    const moved: plan.Transition[] = [];
    const cancelled = await inTransaction(async (tx) => {
      moved.length = 0;
      const sagas = await store.lockSagasPastDeadline(tx, limit);
      for (const saga of sagas) moved.push(await cancelLocked(tx, saga, definitionOf(saga.saga_type).deadlineReason));
      return sagas;
    });
    cancelled.forEach((saga, index) => observer.sagaMoved(saga.saga_type, moved[index]?.status ?? "compensating"));
    await announce(cancelled.map((saga) => saga.id));
    for (const saga of cancelled) await scheduleCurrent(saga.id);

    const overdue = await inTransaction(async (tx) => {
      const sagas = await store.lockOverdueSagas(tx, limit);
      if (sagas.length > 0) await store.postponeRecovery(tx, sagas.map((saga) => saga.id), options.recoverAfterMs);
      return sagas;
    });
    await schedule(
      overdue.map((saga) => {
        const phase = plan.phaseFor(saga.status);
        return { sagaId: saga.id, sagaType: saga.saga_type, next: phase && { step: saga.current_step, phase } };
      }),
    );
    if (cancelled.length + overdue.length > 0) {
      log.info({ cancelled: cancelled.length, rescheduled: overdue.length }, "Recovery sweep acted");
    }
    return { cancelled: cancelled.length, rescheduled: overdue.length };
  }

  async function cancelLocked(tx: SqlClient, saga: store.LockedSaga & { current_step: string }, reason: string): Promise<plan.Transition> {
    const definition = definitionOf(saga.saga_type);
    const input = definition.inputSchema.parse(saga.input);
    const job = { sagaId: saga.id, sagaType: saga.saga_type, step: saga.current_step, phase: "action" as const };
    const failure = { reason, step: saga.current_step };
    if (saga.awaiting_reply_until !== null) {
      // Its message may have been acted on already: the step itself is undone too, and its wait ends here.
      const transition = plan.compensateAfterWait(definition, saga.current_step, input);
      await store.applyTransition(tx, { job, transition, outcome: { status: "failed", error: reason }, failure }, options.recoverAfterMs);
      return transition;
    }
    // An attempt of the current step may be in flight: it will find the saga compensating and stand down.
    const transition = plan.compensateBefore(definition, saga.current_step, input);
    await store.applyTransition(tx, { job, transition, outcome: { status: "skipped" }, failure }, options.recoverAfterMs);
    return transition;
  }

  /**
   * An operator's change to one saga, decided under its lock; `record` (the audit line) is written in the same
   * transaction, so the change never happens without its record, nor the record without the change.
   */
  async function operate(
    sagaId: string,
    decide: (tx: SqlClient, saga: store.LockedSaga) => Promise<OperatorOutcome>,
    record?: OperatorRecord,
  ): Promise<OperatorOutcome> {
    const result = await inTransaction(async (tx) => {
      const saga = await store.lockSaga(tx, sagaId);
      if (!saga) throw noSuchSaga();
      const outcome = await decide(tx, saga);
      await record?.(tx, outcome);
      return outcome;
    });
    if (result.done) await Promise.all([scheduleCurrent(sagaId), announce([sagaId])]);
    return result;
  }

  /** An operator asks a saga that needs attention to run its failed compensation again (the cause fixed). */
  function retryCompensation(sagaId: string, record?: OperatorRecord): Promise<OperatorOutcome> {
    return operate(
      sagaId,
      async (tx, saga) => {
        if (saga.status !== "needs_attention" || !saga.current_step) {
          return { done: false, message: `The saga is ${saga.status.replace("_", " ")}: it has no failed compensation to retry.` };
        }
        await store.reopenSaga(tx, sagaId, plan.retryCompensation(saga.current_step), options.recoverAfterMs);
        return { done: true, message: `Retrying the ${saga.current_step} compensation.` };
      },
      record,
    );
  }

  /** An operator cancels a running saga: it is compensated like one past its deadline. */
  async function cancel(sagaId: string, reason: string, record?: OperatorRecord): Promise<OperatorOutcome> {
    let moved: { sagaType: string; transition: plan.Transition } | undefined;
    const outcome = await operate(
      sagaId,
      async (tx, saga) => {
        if (saga.status !== "running" || !saga.current_step) {
          return { done: false, message: `The saga is ${saga.status.replace("_", " ")}: only a running saga can be cancelled.` };
        }
        moved = { sagaType: saga.saga_type, transition: await cancelLocked(tx, { ...saga, current_step: saga.current_step }, reason) };
        return { done: true, message: "Cancelled: what it did is being undone." };
      },
      record,
    );
    if (moved && outcome.done) observer.sagaMoved(moved.sagaType, moved.transition.status);
    return outcome;
  }

  /** An operator re-enqueues the current step of a saga that seems stuck (a job already queued stays one job). */
  async function redrive(sagaId: string): Promise<OperatorOutcome> {
    const saga = await store.findSagaState(sagaId);
    if (!saga) throw noSuchSaga();
    if (!plan.phaseFor(saga.status) || !saga.current_step) {
      return { done: false, message: `The saga is ${saga.status.replace("_", " ")}: it has no step to redrive.` };
    }
    if (saga.awaiting_reply_until && saga.awaiting_reply_until.getTime() > Date.now()) {
      const until = saga.awaiting_reply_until.toISOString();
      return { done: false, message: `${saga.current_step} is waiting for a reply until ${until}; it moves on by itself then.` };
    }
    await scheduleCurrent(sagaId);
    return { done: true, message: `Enqueued ${saga.current_step} (${plan.phaseFor(saga.status)}) again.` };
  }

  /** Schedules the job a saga's stored state says is next (after a cancel, or for an operator's redrive). */
  async function scheduleCurrent(sagaId: string): Promise<void> {
    const saga = await store.findSagaState(sagaId);
    const phase = saga && plan.phaseFor(saga.status);
    if (saga && phase && saga.current_step) await schedule([{ sagaId, sagaType: saga.saga_type, next: { step: saga.current_step, phase } }]);
  }

  // definitionOf: the monitor plans what an operator's action would run with the definitions the engine acts by.
  return { start, ...runner, sweep, scheduleCurrent, retryCompensation, cancel, redrive, definitionOf };
}
