import { DomainError } from "@/server/errors";
import { recordAudit, type AuditActor } from "../audit/record-audit";
import { actOnSaga, type OperatorEngine } from "./act-on-saga";
import { listSagas } from "./list-sagas";
import type { SagaListFilter } from "./saga-list-filter";

/** The most sagas one bulk retry touches: a filter matching more is narrowed first. */
export const BULK_RETRY_LIMIT = 500;

/** The most sagas an operator may pick for one bulk retry (the list shows at most 100 a page). */
export const BULK_PICK_LIMIT = 100;

/** A saga a bulk retry did not retry, and why, in the words the single retry answers with. */
export type SkippedSaga = { sagaId: string; reason: string };

/** What a bulk retry did: `matched` sagas looked at, `retried` of them retried, the rest `skipped` with their reason. */
export type BulkRetryResult = { matched: number; retried: number; skipped: SkippedSaga[] };

/** Retries the failed compensation of every saga needing attention that matches the list's current filter. */
export async function bulkRetryCompensations(options: {
  filter: SagaListFilter;
  actor: AuditActor;
  engine: OperatorEngine;
}): Promise<BulkRetryResult> {
  const { sagas } = await listSagas({ filter: { ...options.filter, status: "needs_attention" }, limit: BULK_RETRY_LIMIT });
  const result = await retryEach(sagas.map((saga) => saga.id), options);
  await recordAudit({
    actor: options.actor,
    action: "bulk-retry",
    outcome: `Retried ${result.retried} of ${sagas.length} sagas needing attention.`,
    details: { filter: options.filter },
  });
  return result;
}

/**
 * Retries the failed compensation of exactly the sagas an operator picked. A picked saga that cannot be retried (it
 * no longer needs attention, or does not exist) is named with the reason and the rest go on. Idempotent: the same
 * request again finds nothing left to retry and says so for each saga.
 */
export async function bulkRetryPicked(options: { sagaIds: readonly string[]; actor: AuditActor; engine: OperatorEngine }): Promise<BulkRetryResult> {
  const sagaIds = [...new Set(options.sagaIds)];
  const result = await retryEach(sagaIds, options);
  await recordAudit({
    actor: options.actor,
    action: "bulk-retry",
    outcome: `Retried ${result.retried} of ${sagaIds.length} picked ${sagaIds.length === 1 ? "saga" : "sagas"}.`,
    details: { sagaIds, skipped: result.skipped },
  });
  return result;
}

/** One retry per saga, each with its own audit line (actOnSaga), in order; one saga's refusal never stops the rest. */
async function retryEach(sagaIds: readonly string[], options: { actor: AuditActor; engine: OperatorEngine }): Promise<BulkRetryResult> {
  let retried = 0;
  const skipped: SkippedSaga[] = [];
  for (const sagaId of sagaIds) {
    try {
      const outcome = await actOnSaga({ action: "retry-compensation", sagaId, actor: options.actor, engine: options.engine });
      if (outcome.done) retried += 1;
      else skipped.push({ sagaId, reason: outcome.message });
    } catch (error) {
      // An unknown saga: nothing was changed or recorded for it (the engine's 404), so the others go on.
      if (!(error instanceof DomainError) || error.code !== "NOT_FOUND") throw error;
      skipped.push({ sagaId, reason: error.message });
    }
  }
  return { matched: sagaIds.length, retried, skipped };
}

/** How many sagas a bulk retry of this filter would take up (at most BULK_RETRY_LIMIT): the confirm dialog's count. */
export async function countBulkRetryTargets(options: { filter: SagaListFilter }): Promise<{ matching: number; capped: boolean }> {
  const { sagas, nextCursor } = await listSagas({ filter: { ...options.filter, status: "needs_attention" }, limit: BULK_RETRY_LIMIT });
  return { matching: sagas.length, capped: nextCursor !== null };
}
