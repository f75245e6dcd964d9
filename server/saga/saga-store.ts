import { sql, sqlPool, type SqlClient } from "@/server/sql";
import type { SagaPhase } from "./saga-definition";
import type { SagaStatus, Transition } from "./saga-plan";

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
};

export async function insertSaga(
  tx: SqlClient,
  saga: { id: string; type: string; input: unknown; transition: Transition; recoverAfterMs: number },
): Promise<void> {
  await tx.count(sql`
    INSERT INTO saga_instances (id, saga_type, status, current_step, input, next_job_due_at)
    VALUES (${saga.id}::uuid, ${saga.type}, ${saga.transition.status}::saga_status, ${saga.transition.currentStep},
            ${JSON.stringify(saga.input)}::jsonb, now() + make_interval(secs => ${saga.recoverAfterMs / 1000}))`);
}

/**
 * Counts a delivery of a step job before any work, in its own statement, so that an attempt cut short by a crash
 * still shows in the history. A redelivered step that already succeeded, or failed for good, keeps its status: the
 * saga has moved on, so the delivery will be skipped, and the history must still say how the step ended.
 */
export async function recordAttempt(job: SagaJob): Promise<number> {
  const [row] = await sqlPool.rows<{ attempts: number }>(sql`
    INSERT INTO saga_step_executions (saga_id, step, phase, status, attempts, started_at)
    VALUES (${job.sagaId}::uuid, ${job.step}, ${job.phase}::saga_phase, 'running', 1, now())
    ON CONFLICT (saga_id, step, phase) DO UPDATE SET
      attempts = saga_step_executions.attempts + 1,
      status = CASE WHEN saga_step_executions.status IN ('succeeded', 'failed') THEN saga_step_executions.status
                    ELSE 'running'::step_execution_status END
    RETURNING attempts`);
  return row?.attempts ?? 1;
}

/** Locks the saga's row for the rest of the transaction: one step of one saga at a time, whatever the deliveries. */
export async function lockSaga(tx: SqlClient, sagaId: string): Promise<LockedSaga | null> {
  const [saga] = await tx.rows<LockedSaga>(sql`
    SELECT id, saga_type, status, current_step, input, step_outputs
      FROM saga_instances WHERE id = ${sagaId}::uuid FOR UPDATE`);
  return saga ?? null;
}

export type StepOutcome =
  | { status: "succeeded"; output: unknown }
  | { status: "failed" | "retrying"; error: string; stack?: string }
  | { status: "skipped" };

/** Moves the saga to its next state and records how the step went, in one statement. */
export async function applyTransition(
  tx: SqlClient,
  job: SagaJob,
  change: {
    transition: Transition;
    outcome: StepOutcome;
    recoverAfterMs: number;
    /** undefined: keep the deadline; null: clear it. */
    deadlineAt?: Date | null;
    failure?: { reason: string; step: string };
  },
): Promise<void> {
  const { transition, outcome, failure } = change;
  const output = outcome.status === "succeeded" && job.phase === "action" ? JSON.stringify(outcome.output ?? null) : null;
  const error = outcome.status === "failed" || outcome.status === "retrying" ? outcome.error : null;
  const stack = outcome.status === "failed" || outcome.status === "retrying" ? (outcome.stack ?? null) : null;
  const stepOutput = outcome.status === "succeeded" ? JSON.stringify(outcome.output ?? null) : null;
  const finished = transition.next === null;
  await tx.count(sql`
    WITH saga AS (
      UPDATE saga_instances SET
        status = ${transition.status}::saga_status,
        current_step = ${transition.currentStep},
        step_outputs = CASE WHEN ${output}::jsonb IS NULL THEN step_outputs
                            ELSE step_outputs || jsonb_build_object(${job.step}::text, ${output}::jsonb) END,
        deadline_at = CASE WHEN ${change.deadlineAt !== undefined}::boolean THEN ${change.deadlineAt ?? null}::timestamptz
                           ELSE deadline_at END,
        failure_reason = COALESCE(failure_reason, ${failure?.reason ?? null}),
        failed_step = COALESCE(failed_step, ${failure?.step ?? null}),
        next_job_due_at = CASE WHEN ${finished}::boolean THEN NULL
                               ELSE now() + make_interval(secs => ${change.recoverAfterMs / 1000}) END,
        finished_at = CASE WHEN ${finished}::boolean THEN now() ELSE NULL END,
        updated_at = now()
      WHERE id = ${job.sagaId}::uuid
    )
    UPDATE saga_step_executions SET
      status = ${outcome.status}::step_execution_status,
      finished_at = now(),
      error = ${error},
      error_stack = ${stack},
      output = ${stepOutput}::jsonb
    WHERE saga_id = ${job.sagaId}::uuid AND step = ${job.step} AND phase = ${job.phase}::saga_phase`);
}

/** Puts a saga that needs attention back to compensating (an operator's retry); the recovery sweep watches it again. */
export async function reopenSaga(tx: SqlClient, sagaId: string, transition: Transition, recoverAfterMs: number): Promise<void> {
  // The step that failed for good is being tried again: its record says so until the attempt ends.
  await tx.count(sql`
    WITH step AS (
      UPDATE saga_step_executions SET status = 'retrying'
       WHERE saga_id = ${sagaId}::uuid AND step = ${transition.currentStep} AND phase = 'compensation' AND status = 'failed'
    )
    UPDATE saga_instances SET status = ${transition.status}::saga_status, current_step = ${transition.currentStep},
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
export async function lockSagasPastDeadline(tx: SqlClient, limit: number): Promise<ActiveSagaRow[]> {
  return tx.rows<ActiveSagaRow>(sql`
    SELECT id, saga_type, status, current_step FROM saga_instances
     WHERE status = 'running' AND deadline_at < now()
     ORDER BY deadline_at LIMIT ${limit}
     FOR UPDATE SKIP LOCKED`);
}
