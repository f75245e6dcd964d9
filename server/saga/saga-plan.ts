import type { SagaDefinition, SagaPhase } from "./saga-definition";

import type { SagaStatus } from "./saga-status";

/** The saga state machine (drawn in saga-status.ts), as pure functions of the definition: what runs next after each outcome. */

export type StepJobRef = { step: string; phase: SagaPhase };

export type Transition = {
  status: SagaStatus;
  currentStep: string | null;
  /** The job to schedule after the transaction commits; none when the saga has finished. */
  next: StepJobRef | null;
};

/** The phase a saga in this status runs its current step in. */
export function phaseFor(status: SagaStatus): SagaPhase | null {
  if (status === "running") return "action";
  if (status === "compensating") return "compensation";
  return null;
}

export function start(definition: SagaDefinition): Transition {
  const first = stepAt(definition, 0);
  return running(first);
}

export function afterAction(definition: SagaDefinition, step: string): Transition {
  const index = indexOf(definition, step);
  const next = definition.steps[index + 1];
  return next ? running(next.name) : { status: "completed", currentStep: null, next: null };
}

/**
 * Undo what committed before `step` (whose own action did not commit): the nearest earlier step with a
 * compensation first, then backwards; `step` itself first when the saga's start began its work (`begunAtStart`).
 */
export function compensateBefore(definition: SagaDefinition, step: string): Transition {
  const index = indexOf(definition, step);
  return compensateFrom(definition, stepAt(definition, index).begunAtStart ? index : index - 1);
}

export function afterCompensation(definition: SagaDefinition, step: string): Transition {
  return compensateFrom(definition, indexOf(definition, step) - 1);
}

export function needsAttention(step: string): Transition {
  return { status: "needs_attention", currentStep: step, next: null };
}

/** An operator retries the compensation that failed for good: the saga compensates again from that step. */
export function retryCompensation(step: string): Transition {
  return { status: "compensating", currentStep: step, next: { step, phase: "compensation" } };
}

function compensateFrom(definition: SagaDefinition, fromIndex: number): Transition {
  for (let index = fromIndex; index >= 0; index -= 1) {
    const step = stepAt(definition, index);
    if (step.compensation) {
      return { status: "compensating", currentStep: step.name, next: { step: step.name, phase: "compensation" } };
    }
  }
  return { status: "compensated", currentStep: null, next: null };
}

function running(step: string | { name: string }): Transition {
  const name = typeof step === "string" ? step : step.name;
  return { status: "running", currentStep: name, next: { step: name, phase: "action" } };
}

function stepAt(definition: SagaDefinition, index: number) {
  const step = definition.steps[index];
  if (!step) throw new Error(`Saga ${definition.type} has no step #${index}`);
  return step;
}

function indexOf(definition: SagaDefinition, step: string): number {
  const index = definition.steps.findIndex((candidate) => candidate.name === step);
  if (index < 0) throw new Error(`Saga ${definition.type} has no step "${step}"`);
  return index;
}
