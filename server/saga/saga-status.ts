/**
 * A saga's statuses, the one list every layer reads (the engine, the monitor's filters and pages, the benchmarks).
 * No imports, so client components can use it too.
 *
 *   running(step i) ──action ok──▶ running(step i+1) … ──last action ok──▶ completed
 *        │ action failed for good, or deadline passed / cancelled
 *        ▼
 *   compensating(the nearest earlier step with a compensation) ──ok──▶ … ──none left──▶ compensated
 *        │ compensation failed for good
 *        ▼
 *   needs_attention (an operator must look; never dropped)
 *
 * A step may wait at its place for a reply to a message it sent (still running, or compensating): the reply moves
 * the saga on as above; no reply in time fails an action (compensating from that step itself) or sends a
 * compensation's message again, until it too gives up (needs_attention, which still takes the reply should it come).
 */
export const SAGA_STATUSES = ["running", "completed", "compensating", "compensated", "needs_attention"] as const;

export type SagaStatus = (typeof SAGA_STATUSES)[number];

/** A saga in one of these still has a step to run. */
export const ACTIVE_STATUSES: readonly SagaStatus[] = ["running", "compensating"];

/** A saga in one of these runs nothing more by itself (needs_attention waits for an operator). */
export const FINISHED_STATUSES: readonly SagaStatus[] = SAGA_STATUSES.filter((status) => !ACTIVE_STATUSES.includes(status));

export function isFinished(status: SagaStatus): boolean {
  return !ACTIVE_STATUSES.includes(status);
}

/** A count for every status, zero where none: what the monitor's and the simulator's tallies start from. */
export function zeroByStatus(): Record<SagaStatus, number> {
  return Object.fromEntries(SAGA_STATUSES.map((status) => [status, 0])) as Record<SagaStatus, number>;
}
