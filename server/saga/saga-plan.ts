import { appliesTo, type SagaDefinition, type SagaPhase } from "./saga-definition";

import type { SagaStatus } from "./saga-status";

/**
 * The saga state machine (drawn in saga-status.ts), as pure functions of the definition and the saga's input: what
 * runs next after each outcome. Steps that do not apply to the input (SagaStep.appliesTo) are passed over both ways.
 */

export type StepJobRef = { step: string; phase: SagaPhase };

export type Transition = {
  status: SagaStatus;
  currentStep: string | null;
  /** The job to schedule after the transaction commits; none when the saga has finished or waits for a reply. */
  next: StepJobRef | null;
};

/** The phase a saga in this status runs its current step in. */
export function phaseFor(status: SagaStatus): SagaPhase | null {
  if (status === "running") return "action";
  if (status === "compensating") return "compensation";
  return null;
}

/**
 * The phase whose reply a saga in this status, waiting at its current step, takes. A compensation that gave up
 * waiting (needs_attention) still takes its reply: what it asked for is then done, and the saga compensates on.
 */
export function replyPhaseFor(status: SagaStatus): SagaPhase | null {
  return status === "needs_attention" ? "compensation" : phaseFor(status);
}

export function start(definition: SagaDefinition, input: unknown): Transition {
  const first = forwardFrom(definition, 0, input);
  if (!first) throw new Error(`Saga ${definition.type} has no step for this input`);
  return first;
}

export function afterAction(definition: SagaDefinition, step: string, input: unknown): Transition {
  return forwardFrom(definition, indexOf(definition, step) + 1, input) ?? { status: "completed", currentStep: null, next: null };
}

/**
 * Undo what committed before `step` (whose own action did not commit): the nearest earlier step with a
 * compensation first, then backwards; `step` itself first when the saga's start began its work (`begunAtStart`).
 */
export function compensateBefore(definition: SagaDefinition, step: string, input: unknown): Transition {
  const index = indexOf(definition, step);
  return compensateFrom(definition, stepAt(definition, index).begunAtStart ? index : index - 1, input);
}

/**
 * Undo from `step` itself: its action sent a message and its wait failed (no reply in time, or the saga was
 * cancelled meanwhile), so what it asked for may have been done.
 */
export function compensateAfterWait(definition: SagaDefinition, step: string, input: unknown): Transition {
  return compensateFrom(definition, indexOf(definition, step), input);
}

export function afterCompensation(definition: SagaDefinition, step: string, input: unknown): Transition {
  return compensateFrom(definition, indexOf(definition, step) - 1, input);
}

/** The step sent a message and waits at it (in its phase's status): nothing is scheduled until the reply or the wait's end. */
export function awaitReply(status: SagaStatus, step: string): Transition {
  return { status, currentStep: step, next: null };
}

export function needsAttention(step: string): Transition {
  return { status: "needs_attention", currentStep: step, next: null };
}

/** An operator retries the compensation that failed for good: the saga compensates again from that step. */
export function retryCompensation(step: string): Transition {
  return { status: "compensating", currentStep: step, next: { step, phase: "compensation" } };
}

function forwardFrom(definition: SagaDefinition, fromIndex: number, input: unknown): Transition | null {
  const step = definition.steps.slice(fromIndex).find((candidate) => appliesTo(candidate, input));
  return step ? { status: "running", currentStep: step.name, next: { step: step.name, phase: "action" } } : null;
}

function compensateFrom(definition: SagaDefinition, fromIndex: number, input: unknown): Transition {
  for (let index = fromIndex; index >= 0; index -= 1) {
    const step = stepAt(definition, index);
    if (step.compensation && appliesTo(step, input)) {
      return { status: "compensating", currentStep: step.name, next: { step: step.name, phase: "compensation" } };
    }
  }
  return { status: "compensated", currentStep: null, next: null };
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
