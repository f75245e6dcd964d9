import type { OperatorOutcome, SagaEngine } from "@/server/saga/saga-engine";
import { sqlPool, type SqlClient } from "@/server/sql";
import { recordAudit, type AuditActor } from "../audit/record-audit";

export type SagaAction = "retry-compensation" | "redrive" | "cancel";

/** Why a saga an operator cancelled failed, as its customer reads it. */
export const OPERATOR_CANCEL_REASON = "Cancelled by our team.";

export type OperatorEngine = Pick<SagaEngine, "retryCompensation" | "redrive" | "cancel">;

/**
 * An operator's action on one saga, recorded in the audit log with its outcome. Retry and cancel change the saga in
 * PostgreSQL, and their audit line is written in that same transaction; a redrive only enqueues a job in Redis, so
 * its line follows the enqueue. Each is idempotent: clicked twice, the second finds nothing to do and says so (and
 * that is recorded too).
 */
export async function actOnSaga(options: {
  action: SagaAction;
  sagaId: string;
  actor: AuditActor;
  engine: OperatorEngine;
}): Promise<OperatorOutcome> {
  const { engine, sagaId, actor, action } = options;
  const record = (tx: SqlClient, outcome: OperatorOutcome) => recordAudit({ actor, action, targetId: sagaId, outcome: outcome.message }, tx);
  if (action === "retry-compensation") return engine.retryCompensation(sagaId, record);
  // The reason is the shopper's to read: who cancelled is kept in the audit line, never shown to them.
  if (action === "cancel") return engine.cancel(sagaId, OPERATOR_CANCEL_REASON, record);
  const outcome = await engine.redrive(sagaId);
  await record(sqlPool, outcome);
  return outcome;
}
