import { sql, sqlPool } from "@/server/sql";
import type { SagaPhase } from "./saga-definition";
import type { SagaStatus } from "./saga-status";

export type SagaStepView = {
  step: string;
  phase: SagaPhase;
  /** A step waiting for a reply is `running` (its wait shows in `awaitingSince` … `repliedAt`). */
  status: "running" | "succeeded" | "retrying" | "failed" | "skipped";
  attempts: number;
  startedAt: Date;
  /** When its latest attempt began; null on rows written before the engine recorded it. */
  attemptStartedAt: Date | null;
  finishedAt: Date | null;
  error: string | null;
  /** Where the error was thrown; for admins only (callers decide who sees it). */
  errorStack: string | null;
  /** True while the step waits for a reply to the message it sent (since `awaitingSince`, at most until `awaitingUntil`). */
  awaitingReply: boolean;
  /** When the step last began waiting for a reply, and until when it would wait; null if it never waited. */
  awaitingSince: Date | null;
  awaitingUntil: Date | null;
  /** Who answers ("Loyalty"), the message the step sent, the reply that ended its wait and when it came. */
  replyFrom: string | null;
  sentMessage: unknown;
  reply: unknown;
  repliedAt: Date | null;
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

type Instants = "startedAt" | "attemptStartedAt" | "finishedAt" | "awaitingSince" | "awaitingUntil" | "repliedAt";
type StepRow = Omit<SagaStepView, Instants | "status" | "awaitingReply"> & {
  status: SagaStepView["status"] | "awaiting";
} & { [K in Instants]: K extends "startedAt" ? string : string | null };
type SagaRow = Omit<SagaView, "steps"> & { steps: StepRow[] };

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
                      'startedAt', e.started_at, 'attemptStartedAt', e.attempt_started_at, 'finishedAt', e.finished_at, 'error', e.error, 'errorStack', e.error_stack,
                      'awaitingSince', e.awaiting_since, 'awaitingUntil', e.awaiting_until, 'replyFrom', e.reply_from,
                      'sentMessage', e.sent_message, 'reply', e.reply, 'repliedAt', e.replied_at)
                    ORDER BY e.started_at, e.phase)
               FROM saga_step_executions e WHERE e.saga_id = s.id), '[]'::json) AS steps
      FROM saga_instances s WHERE s.id = ${options.sagaId}::uuid`);
  if (!saga) return null;
  return {
    ...saga,
    outputs: saga.outputs ?? {},
    steps: saga.steps.map((step) => ({
      ...step,
      status: stepStatusShown(step.status),
      awaitingReply: step.status === "awaiting",
      startedAt: new Date(step.startedAt),
      attemptStartedAt: dateOrNull(step.attemptStartedAt),
      finishedAt: dateOrNull(step.finishedAt),
      awaitingSince: dateOrNull(step.awaitingSince),
      awaitingUntil: dateOrNull(step.awaitingUntil),
      repliedAt: dateOrNull(step.repliedAt),
    })),
  };
}

/** A step waiting for a reply shows as `running` (its wait is told apart by `awaitingReply`). */
export function stepStatusShown(status: StepRow["status"]): SagaStepView["status"] {
  return status === "awaiting" ? "running" : status;
}

function dateOrNull(value: string | null): Date | null {
  return value === null ? null : new Date(value);
}
