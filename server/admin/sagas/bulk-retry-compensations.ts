import { recordAudit, type AuditActor } from "../audit/record-audit";
import { actOnSaga, type OperatorEngine } from "./act-on-saga";
import { listSagas } from "./list-sagas";
import type { SagaListFilter } from "./saga-list-filter";

/** The most sagas one bulk retry touches: a filter matching more is narrowed first. */
export const BULK_RETRY_LIMIT = 500;

/** Retries the failed compensation of every saga needing attention that matches the list's current filter. */
export async function bulkRetryCompensations(options: {
  filter: SagaListFilter;
  actor: AuditActor;
  engine: OperatorEngine;
}): Promise<{ matched: number; retried: number }> {
  const { sagas } = await listSagas({ filter: { ...options.filter, status: "needs_attention" }, limit: BULK_RETRY_LIMIT });
  let retried = 0;
  for (const saga of sagas) {
    const outcome = await actOnSaga({ action: "retry-compensation", sagaId: saga.id, actor: options.actor, engine: options.engine });
    if (outcome.done) retried += 1;
  }
  await recordAudit({
    actor: options.actor,
    action: "bulk-retry",
    outcome: `Retried ${retried} of ${sagas.length} sagas needing attention.`,
    details: { filter: options.filter },
  });
  return { matched: sagas.length, retried };
}
