import type { z } from "zod";
import type { SqlClient } from "@/server/sql";

/**
 * A saga is an ordered list of steps. Each step declares its action and the compensation that undoes it side by side
 * (after Medusa's workflow steps); the action returns what its compensation will need. The engine runs each action
 * and each compensation as its own job, inside one PostgreSQL transaction together with the saga's state change
 * (under load, one transaction holds the steps of several sagas: see saga-step-runner.ts).
 */

export type SagaPhase = "action" | "compensation";

export type StepContext<Input> = {
  /** The saga's transaction: the step's business writes commit (or not) together with the saga's new state. */
  tx: SqlClient;
  sagaId: string;
  input: Input;
  /** Outputs of the actions completed so far, by step name. */
  outputs: Readonly<Record<string, unknown>>;
  /** When this attempt started. Steps use it instead of reading the clock. */
  now: Date;
};

export type ActionResult<Output> = {
  output: Output;
  /**
   * Sets (a date) or clears (null) the saga's deadline: a saga still running at its deadline is cancelled and
   * compensated. Undefined leaves it as it is.
   */
  deadlineAt?: Date | null;
};

export type SagaStep<Input, Output = unknown> = {
  /** Stable id, part of job ids and of the recorded history: never rename a step of a saga type in use. */
  name: string;
  /** Runs inside the saga's transaction. Throw a DomainError for a business failure: no retry, compensate at once. */
  action(context: StepContext<Input>): Promise<ActionResult<Output>>;
  /**
   * Undoes the action, in the saga's transaction; runs only if the action committed and a later step failed (or the
   * saga was cancelled). Must be idempotent and return early when there is nothing to undo.
   */
  compensation?(context: StepContext<Input> & { output: Output }): Promise<void>;
  /**
   * The saga's start already did part of this step's work (checkout.start holds the units in the transaction that
   * starts the saga): when the saga fails or is cancelled while this is its current step, this step's own
   * compensation runs too, so what the start did is undone even though the action never committed.
   */
  begunAtStart?: boolean;
  /**
   * The row shared with other sagas that this step locks (in either phase), e.g. `inventory:<productId>`. Steps run
   * in batches, one transaction per batch, sorted by (hot, row): two batches in flight at once lock shared rows in
   * the same order and wait for each other instead of deadlocking, and rows that many sagas want at once (`hot`: a
   * product's stock) are locked last, so that a batch holds them for the shortest time. Leave it out when the step
   * locks no such row.
   */
  sharedRow?(input: Input): { row: string; hot?: boolean };
  /** Attempts before a transient failure counts as final. Compensations get many more: undoing must not give up. */
  maxActionAttempts?: number;
  maxCompensationAttempts?: number;
};

export type SagaDefinition<Input = unknown> = {
  /** Stable id of the saga type, stored with each instance. */
  type: string;
  /** Validates the input when a saga starts and when a step reads it back. */
  inputSchema: z.ZodType<Input>;
  steps: readonly SagaStep<Input>[];
  /** Why a saga that missed its deadline was cancelled, in words the saga's owner understands. */
  deadlineReason: string;
};

export const DEFAULT_MAX_ACTION_ATTEMPTS = 3;
export const DEFAULT_MAX_COMPENSATION_ATTEMPTS = 12;

/** Keeps a step's output type between its action and its compensation. */
export function defineStep<Input, Output>(step: SagaStep<Input, Output>): SagaStep<Input> {
  return step as SagaStep<Input>;
}

export function defineSaga<Input>(definition: SagaDefinition<Input>): SagaDefinition<Input> {
  const names = definition.steps.map((step) => step.name);
  if (names.length === 0) throw new Error(`Saga ${definition.type} has no steps`);
  if (new Set(names).size !== names.length) throw new Error(`Saga ${definition.type} has two steps with one name`);
  for (const name of names) {
    // Step names become part of BullMQ job ids, which must not contain ':'.
    if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new Error(`Step name "${name}" must be lower-case words joined by -`);
  }
  return definition;
}

export function maxAttemptsOf(step: SagaStep<unknown>, phase: SagaPhase): number {
  return phase === "action"
    ? (step.maxActionAttempts ?? DEFAULT_MAX_ACTION_ATTEMPTS)
    : (step.maxCompensationAttempts ?? DEFAULT_MAX_COMPENSATION_ATTEMPTS);
}
