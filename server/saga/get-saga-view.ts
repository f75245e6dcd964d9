import { sql, sqlPool } from "@/server/sql";
import type { SagaPhase } from "./saga-definition";
import type { SagaStatus } from "./saga-status";

export type SagaStepView = {
  step: string;
  phase: SagaPhase;
  status: "running" | "succeeded" | "retrying" | "failed" | "skipped";
  attempts: number;
  startedAt: Date;
  finishedAt: Date | null;
  error: string | null;
  /** Where the error was thrown; for admins only (callers decide who sees it). */
  errorStack: string | null;
};

export type SagaView = {
  id: string;
  sagaType: string;
  status: SagaStatus;
  currentStep: string | null;
  failureReason: string | null;
  failedStep: string | null;
  outputs: Record<string, unknown>;
  steps: SagaStepView[];
  createdAt: Date;
  finishedAt: Date | null;
};

type SagaRow = Omit<SagaView, "steps"> & {
  steps: (Omit<SagaStepView, "startedAt" | "finishedAt"> & { startedAt: string; finishedAt: string | null })[];
};

/**
 * A saga and its step history in the order things happened, in one statement: the checkout page re-reads it on every
 * change pushed to it, and so does every follower of a checkout.
 */
export async function getSagaView(options: { sagaId: string }): Promise<SagaView | null> {
  const [saga] = await sqlPool.rows<SagaRow>(sql`
    SELECT s.id, s.saga_type AS "sagaType", s.status, s.current_step AS "currentStep",
           s.failure_reason AS "failureReason", s.failed_step AS "failedStep", s.step_outputs AS outputs,
           s.created_at AS "createdAt", s.finished_at AS "finishedAt",
           COALESCE((
             SELECT json_agg(json_build_object(
                      'step', e.step, 'phase', e.phase, 'status', e.status, 'attempts', e.attempts,
                      'startedAt', e.started_at, 'finishedAt', e.finished_at, 'error', e.error, 'errorStack', e.error_stack)
                    ORDER BY e.started_at, e.phase)
               FROM saga_step_executions e WHERE e.saga_id = s.id), '[]'::json) AS steps
      FROM saga_instances s WHERE s.id = ${options.sagaId}::uuid`);
  if (!saga) return null;
  return {
    ...saga,
    outputs: saga.outputs ?? {},
    steps: saga.steps.map((step) => ({
      ...step,
      startedAt: new Date(step.startedAt),
      finishedAt: step.finishedAt === null ? null : new Date(step.finishedAt),
    })),
  };
}
