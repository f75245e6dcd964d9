import { sql, sqlPool, type SqlClient, type SqlQuery } from "@/server/sql";
import type { SagaPhase } from "./saga-definition";
import type { Transition } from "./saga-plan";
import { isFinished, type SagaStatus } from "./saga-status";

/**
 * Every read and write of the saga tables. Raw SQL: the hot path of a checkout is a handful of statements per step,
 * and each one here is a single round trip (state change and step record together).
 */

export type SagaJob = { sagaId: string; sagaType: string; step: string; phase: SagaPhase };

export type LockedSaga = {
  id: string;
  saga_type: string;
  status: SagaStatus;
  current_step: string | null;
  input: unknown;
  step_outputs: Record<string, unknown>;
  /** Set while the current step waits for a reply (see SagaStep's awaitReply); null otherwise. */
  awaiting_reply_until: Date | null;
  /** The wait is over: no reply came by `awaiting_reply_until` (by PostgreSQL's clock, as the sweep reads it). */
  reply_overdue: boolean;
};

const LOCKED_SAGA_COLUMNS = sql`
  id, saga_type, status, current_step, input, step_outputs, awaiting_reply_until,
  COALESCE(awaiting_reply_until <= clock_timestamp(), false) AS reply_overdue`;

/** The statement that stores a new saga. */
export function insertSaga(saga: { id: string; type: string; input: unknown; transition: Transition; recoverAfterMs: number }): SqlQuery {
  return sql`
    INSERT INTO saga_instances (id, saga_type, status, current_step, input, next_job_due_at)
    VALUES (${saga.id}::uuid, ${saga.type}, ${saga.transition.status}::saga_status, ${saga.transition.currentStep},
            ${JSON.stringify(saga.input)}::jsonb, now() + make_interval(secs => ${saga.recoverAfterMs / 1000}))`;
}

/**
 * Counts a delivery of each step job before any work, in a statement of its own, so that an attempt cut short by a
 * crash still shows in the history. A redelivered step that already succeeded, or failed for good, keeps its status:
 * the saga has moved on, so the delivery will be skipped, and the history must still say how the step ended. A step
 * still waiting for its reply, before its wait is over, is not an attempt at all: the delivery will do nothing.
 * Returns each job's attempt count, in the order of `jobs` (which must name each saga once).
 */
export async function recordAttempts(jobs: readonly SagaJob[]): Promise<number[]> {
  const rows = await sqlPool.rows<{ saga_id: string; attempts: number }>(sql`
    INSERT INTO saga_step_executions (saga_id, step, phase, status, attempts, started_at, attempt_started_at)
    SELECT job.saga_id, job.step, job.phase, 'running', 1, now(), now()
      FROM jsonb_to_recordset(${JSON.stringify(jobs.map(jobRecord))}::jsonb) AS job(saga_id uuid, step text, phase saga_phase)
     ORDER BY job.saga_id
    ON CONFLICT (saga_id, step, phase) DO UPDATE SET
      attempts = CASE WHEN saga_step_executions.status = 'awaiting' AND saga_step_executions.awaiting_until > now()
                      THEN saga_step_executions.attempts ELSE saga_step_executions.attempts + 1 END,
      status = CASE WHEN saga_step_executions.status IN ('succeeded', 'failed') THEN saga_step_executions.status
                    WHEN saga_step_executions.status = 'awaiting' AND saga_step_executions.awaiting_until > now()
                    THEN saga_step_executions.status
                    ELSE 'running'::step_execution_status END,
      -- A new attempt begins exactly when the step becomes running again (not for a step already done, nor one still
      -- inside its wait for a reply): its own run time is measured from here.
      attempt_started_at = CASE WHEN saga_step_executions.status IN ('succeeded', 'failed') THEN saga_step_executions.attempt_started_at
                                WHEN saga_step_executions.status = 'awaiting' AND saga_step_executions.awaiting_until > now()
                                THEN saga_step_executions.attempt_started_at
                                ELSE now() END
    RETURNING saga_id, attempts`);
  const attempts = new Map(rows.map((row) => [row.saga_id, row.attempts]));
  return jobs.map((job) => attempts.get(job.sagaId) ?? 1);
}

/**
 * Locks the sagas' rows for the rest of the transaction: one step of one saga at a time, whatever the deliveries.
 * In id order, so that two transactions locking overlapping sets wait for each other instead of deadlocking.
 */
export async function lockSagas(tx: SqlClient, sagaIds: readonly string[]): Promise<Map<string, LockedSaga>> {
  const sagas = await tx.rows<LockedSaga>(sql`
    SELECT ${LOCKED_SAGA_COLUMNS} FROM saga_instances WHERE id = ANY(${sagaIds}::uuid[]) ORDER BY id FOR UPDATE`);
  return new Map(sagas.map((saga) => [saga.id, saga]));
}

export async function lockSaga(tx: SqlClient, sagaId: string): Promise<LockedSaga | null> {
  return (await lockSagas(tx, [sagaId])).get(sagaId) ?? null;
}

export type StepOutcome =
  | { status: "succeeded"; output: unknown }
  | { status: "failed" | "retrying"; error: string; stack?: string }
  | { status: "skipped" }
  /** The step sent a message and waits for its reply until then (the saga's next job is due at that moment). */
  | { status: "awaiting"; until: Date; from: string; sent: unknown };

export type SagaChange = {
  job: SagaJob;
  transition: Transition;
  outcome: StepOutcome;
  /** undefined: keep the deadline; null: clear it. */
  deadlineAt?: Date | null;
  failure?: { reason: string; step: string };
  /** The reply that ended the step's wait, recorded with it. */
  reply?: { value: unknown };
  /** The saga stops waiting actively but would still take the reply (a compensation that gave up: replyPhaseFor). */
  keepTakingReply?: boolean;
};

/** Moves each saga to its next state and records how its step went: one statement for any number of sagas. */
export async function applyTransitions(tx: SqlClient, changes: readonly SagaChange[], recoverAfterMs: number): Promise<void> {
  // The ids again as an array: the planner cannot see how few rows the recordset holds, and without an index
  // condition it would scan both tables (it did, taking milliseconds per batch on a table of a few thousand sagas).
  const sagaIds = changes.map((change) => change.job.sagaId);
  await tx.count(sql`
    WITH change AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(changes.map(changeRecord))}::jsonb) AS change(
        saga_id uuid, step text, phase saga_phase, status saga_status, current_step text, saga_output text,
        set_deadline boolean, deadline_at timestamptz, failure_reason text, failed_step text, finished boolean,
        awaiting_until timestamptz, keep_taking_reply boolean,
        outcome step_execution_status, error text, error_stack text, step_output text,
        reply_from text, sent_message text, reply text)
    ), saga AS (
      UPDATE saga_instances SET
        status = change.status,
        current_step = change.current_step,
        step_outputs = CASE WHEN change.saga_output IS NULL THEN step_outputs
                            ELSE step_outputs || jsonb_build_object(change.step, change.saga_output::jsonb) END,
        deadline_at = CASE WHEN change.set_deadline THEN change.deadline_at ELSE saga_instances.deadline_at END,
        failure_reason = COALESCE(saga_instances.failure_reason, change.failure_reason),
        failed_step = COALESCE(saga_instances.failed_step, change.failed_step),
        -- A saga waiting for a reply is woken by the recovery sweep when its wait is over.
        awaiting_reply_until = CASE WHEN change.awaiting_until IS NOT NULL THEN change.awaiting_until
                                    WHEN change.keep_taking_reply THEN saga_instances.awaiting_reply_until END,
        next_job_due_at = CASE WHEN change.finished THEN NULL
                               WHEN change.awaiting_until IS NOT NULL THEN change.awaiting_until
                               ELSE now() + make_interval(secs => ${recoverAfterMs / 1000}) END,
        finished_at = CASE WHEN change.finished THEN now() ELSE NULL END,
        updated_at = now()
        FROM change WHERE saga_instances.id = change.saga_id AND saga_instances.id = ANY(${sagaIds}::uuid[])
    )
    UPDATE saga_step_executions SET
      status = change.outcome,
      -- The clock, not now() (the transaction's start): a step's run time must include its own work in the transaction.
      finished_at = CASE WHEN change.awaiting_until IS NOT NULL THEN NULL ELSE clock_timestamp() END,
      error = change.error,
      error_stack = change.error_stack,
      output = change.step_output::jsonb,
      -- What the monitor shows of a wait: kept after it ends; a new wait (a message sent again) starts afresh.
      awaiting_since = CASE WHEN change.awaiting_until IS NOT NULL THEN clock_timestamp() ELSE saga_step_executions.awaiting_since END,
      awaiting_until = COALESCE(change.awaiting_until, saga_step_executions.awaiting_until),
      reply_from = COALESCE(change.reply_from, saga_step_executions.reply_from),
      sent_message = COALESCE(change.sent_message::jsonb, saga_step_executions.sent_message),
      reply = CASE WHEN change.awaiting_until IS NOT NULL THEN NULL
                   ELSE COALESCE(change.reply::jsonb, saga_step_executions.reply) END,
      replied_at = CASE WHEN change.awaiting_until IS NOT NULL THEN NULL WHEN change.reply IS NOT NULL THEN now()
                        ELSE saga_step_executions.replied_at END
      FROM change
     WHERE saga_step_executions.saga_id = change.saga_id AND saga_step_executions.step = change.step
       AND saga_step_executions.phase = change.phase AND saga_step_executions.saga_id = ANY(${sagaIds}::uuid[])`);
}

export async function applyTransition(tx: SqlClient, change: SagaChange, recoverAfterMs: number): Promise<void> {
  await applyTransitions(tx, [change], recoverAfterMs);
}

function jobRecord(job: SagaJob) {
  return { saga_id: job.sagaId, step: job.step, phase: job.phase };
}

/** A change as one row of applyTransitions' recordset. JSON values travel as text, so that a JSON null survives. */
function changeRecord({ job, transition, outcome, deadlineAt, failure, reply, keepTakingReply }: SagaChange) {
  const succeeded = outcome.status === "succeeded";
  const failed = outcome.status === "failed" || outcome.status === "retrying";
  const awaiting = outcome.status === "awaiting" ? outcome : null;
  return {
    ...jobRecord(job),
    status: transition.status,
    current_step: transition.currentStep,
    saga_output: succeeded && job.phase === "action" ? JSON.stringify(outcome.output ?? null) : null,
    set_deadline: deadlineAt !== undefined,
    deadline_at: deadlineAt ? deadlineAt.toISOString() : null,
    failure_reason: failure?.reason ?? null,
    failed_step: failure?.step ?? null,
    finished: isFinished(transition.status),
    awaiting_until: awaiting ? awaiting.until.toISOString() : null,
    keep_taking_reply: keepTakingReply ?? false,
    outcome: outcome.status,
    error: failed ? outcome.error : null,
    error_stack: failed ? (outcome.stack ?? null) : null,
    step_output: succeeded ? JSON.stringify(outcome.output ?? null) : null,
    reply_from: awaiting ? awaiting.from : null,
    sent_message: awaiting ? JSON.stringify(awaiting.sent ?? null) : null,
    reply: reply ? JSON.stringify(reply.value ?? null) : null,
  };
}

/** Puts a saga that needs attention back to compensating (an operator's retry); the recovery sweep watches it again. */
export async function reopenSaga(tx: SqlClient, sagaId: string, transition: Transition, recoverAfterMs: number): Promise<void> {
  // The step that failed for good is being tried again: its record says so until the attempt ends.
  await tx.count(sql`
    WITH step AS (
      UPDATE saga_step_executions SET status = 'retrying'
       WHERE saga_id = ${sagaId}::uuid AND step = ${transition.currentStep} AND phase = 'compensation' AND status = 'failed'
    )
    -- A compensation that gave up waiting for its reply is run afresh: it sends its message again and waits again.
    UPDATE saga_instances SET status = ${transition.status}::saga_status, current_step = ${transition.currentStep},
           awaiting_reply_until = NULL,
           next_job_due_at = now() + make_interval(secs => ${recoverAfterMs / 1000}), finished_at = NULL, updated_at = now()
     WHERE id = ${sagaId}::uuid`);
}

/** Records an attempt that failed but will be retried, and gives the retry time before the sweep steps in. */
export async function recordRetry(job: SagaJob, error: { message: string; stack?: string }, dueInMs: number): Promise<void> {
  await sqlPool.count(sql`
    WITH step AS (
      UPDATE saga_step_executions
         SET status = 'retrying', error = ${error.message}, error_stack = ${error.stack ?? null}, finished_at = now()
       WHERE saga_id = ${job.sagaId}::uuid AND step = ${job.step} AND phase = ${job.phase}::saga_phase
         AND status = 'running'
    )
    UPDATE saga_instances SET next_job_due_at = now() + make_interval(secs => ${dueInMs / 1000}), updated_at = now()
     WHERE id = ${job.sagaId}::uuid AND status IN ('running', 'compensating')`);
}

/** Marks a delivery that found the saga elsewhere (cancelled meanwhile, or a duplicate) as skipped. */
export async function recordSkipped(tx: SqlClient, job: SagaJob): Promise<void> {
  await tx.count(sql`
    UPDATE saga_step_executions SET status = 'skipped', finished_at = now()
     WHERE saga_id = ${job.sagaId}::uuid AND step = ${job.step} AND phase = ${job.phase}::saga_phase
       AND status = 'running'`);
}

export type ActiveSagaRow = { id: string; saga_type: string; status: SagaStatus; current_step: string };

/** Active sagas whose current job is overdue (lost with Redis, stalled out, never enqueued); locked, skipping busy ones. */
export async function lockOverdueSagas(tx: SqlClient, limit: number): Promise<ActiveSagaRow[]> {
  return tx.rows<ActiveSagaRow>(sql`
    SELECT id, saga_type, status, current_step FROM saga_instances
     WHERE status IN ('running', 'compensating') AND next_job_due_at < now()
     ORDER BY next_job_due_at LIMIT ${limit}
     FOR UPDATE SKIP LOCKED`);
}

export async function postponeRecovery(tx: SqlClient, sagaIds: string[], recoverAfterMs: number): Promise<void> {
  await tx.count(sql`
    UPDATE saga_instances SET next_job_due_at = now() + make_interval(secs => ${recoverAfterMs / 1000})
     WHERE id = ANY(${sagaIds}::uuid[])`);
}

/** Running sagas past their deadline; locked, skipping any whose step is committing right now. */
export async function lockSagasPastDeadline(tx: SqlClient, limit: number): Promise<(LockedSaga & ActiveSagaRow)[]> {
  return tx.rows<LockedSaga & ActiveSagaRow>(sql`
    SELECT ${LOCKED_SAGA_COLUMNS} FROM saga_instances
     WHERE status = 'running' AND deadline_at < now()
     ORDER BY deadline_at LIMIT ${limit}
     FOR UPDATE SKIP LOCKED`);
}

export type SagaState = { saga_type: string; status: SagaStatus; current_step: string | null; awaiting_reply_until: Date | null };

/** Where a saga stands, without locking it (an operator's redrive, scheduling after a commit); null if there is none. */
export async function findSagaState(sagaId: string): Promise<SagaState | null> {
  const [saga] = await sqlPool.rows<SagaState>(sql`
    SELECT saga_type, status, current_step, awaiting_reply_until FROM saga_instances WHERE id = ${sagaId}::uuid`);
  return saga ?? null;
}
