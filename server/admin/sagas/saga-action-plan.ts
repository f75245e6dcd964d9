import type { SagaDefinition } from "@/server/saga/saga-definition";
import * as plan from "@/server/saga/saga-plan";
import type { SagaStatus } from "@/server/saga/saga-status";

/**
 * What each operator action would run on a saga as it stands: the one source the detail page's banner and dialogs
 * take their words from. It asks the engine's own planner (saga-plan.ts) the questions the engine asks when it acts
 * (SagaEngine.retryCompensation, redrive, cancel), so the words and what then runs cannot drift apart; a test
 * (saga-action-plan.int.spec.ts) checks them against what the engine then does.
 */

export type SagaActionPlan = {
  /** Retry compensation: this step's compensation runs again, then these steps' compensations, in order. */
  retry: { step: string; then: string[] } | null;
  /** Redrive: the job enqueued again, or (a step waiting for its reply) nothing until its wait ends. */
  redrive: { step: string; phase: "action" | "compensation" } | { waitingUntil: Date; step: string } | null;
  /** Cancel: these steps' compensations run, in order (empty: nothing was done yet, nothing to undo). */
  cancel: { undoes: string[] } | null;
};

export type SagaAsItStands = {
  status: SagaStatus;
  currentStep: string | null;
  input: unknown;
  awaitingReplyUntil: Date | null;
};

/** The plan for `saga` under `definition` at `now` (the clock decides only whether a wait for a reply is over). */
export function planSagaActions(options: { definition: SagaDefinition; saga: SagaAsItStands; now: Date }): SagaActionPlan {
  const { definition, saga, now } = options;
  const step = saga.currentStep;
  if (!step) return { retry: null, redrive: null, cancel: null };
  const input = definition.inputSchema.parse(saga.input);
  return {
    retry: saga.status === "needs_attention" ? { step, then: undoChain(definition, plan.afterCompensation(definition, step, input), input) } : null,
    redrive: redriveOf(saga.status, step, saga.awaitingReplyUntil, now),
    cancel: saga.status === "running" ? { undoes: undoChain(definition, cancelTransition(definition, saga, step, input), input) } : null,
  };
}

/** As SagaEngine.cancel decides: a step waiting for its reply is undone itself; otherwise what came before it. */
function cancelTransition(definition: SagaDefinition, saga: SagaAsItStands, step: string, input: unknown): plan.Transition {
  return saga.awaitingReplyUntil !== null ? plan.compensateAfterWait(definition, step, input) : plan.compensateBefore(definition, step, input);
}

function redriveOf(status: SagaStatus, step: string, awaitingReplyUntil: Date | null, now: Date): SagaActionPlan["redrive"] {
  const phase = plan.phaseFor(status);
  if (!phase) return null;
  if (awaitingReplyUntil && awaitingReplyUntil.getTime() > now.getTime()) return { waitingUntil: awaitingReplyUntil, step };
  return { step, phase };
}

/** The compensations a saga runs from `transition` on, each after the one before succeeds. */
function undoChain(definition: SagaDefinition, transition: plan.Transition, input: unknown): string[] {
  const steps: string[] = [];
  for (let next = transition; next.status === "compensating" && next.currentStep; ) {
    steps.push(next.currentStep);
    next = plan.afterCompensation(definition, next.currentStep, input);
  }
  return steps;
}
