import type { OperatorOutcome, SagaEngine } from "@/server/saga/saga-engine";
import { recordAudit, type AuditActor } from "../audit/record-audit";

export type SagaAction = "retry-compensation" | "redrive" | "cancel";

export type OperatorEngine = Pick<SagaEngine, "retryCompensation" | "redrive" | "cancel">;

/**
 * An operator's action on one saga, recorded in the audit log with its outcome. Each is idempotent: clicked twice,
 * the second finds nothing to do and says so (and that is recorded too).
 */
export async function actOnSaga(options: {
  action: SagaAction;
  sagaId: string;
  actor: AuditActor;
  engine: OperatorEngine;
}): Promise<OperatorOutcome> {
  const { engine, sagaId } = options;
  const outcome =
    options.action === "retry-compensation"
      ? await engine.retryCompensation(sagaId)
      : options.action === "redrive"
        ? await engine.redrive(sagaId)
        : await engine.cancel(sagaId, `Cancelled by an operator (${options.actor.email}).`);
  await recordAudit({ actor: options.actor, action: options.action, targetId: sagaId, outcome: outcome.message });
  return outcome;
}
