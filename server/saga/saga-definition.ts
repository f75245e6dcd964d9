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

/**
 * What a step returns instead of finishing when it has sent a message (written in the saga's transaction, e.g. to an
 * outbox) and must wait for the answer, as AWS Step Functions' `.waitForTaskToken` does: the saga stays at the step,
 * the recovery sweep wakes it at `until`, and the reply (SagaEngine.deliverReply) finishes the step.
 */
export type AwaitingReply = {
  awaitReply: {
    /** No reply by then is a failure: an action's compensation starts from this step itself; a compensation is sent again. */
    until: Date;
    /** The message sent, as the monitor shows it. */
    sent: unknown;
  };
};

export function isAwaitingReply(result: unknown): result is AwaitingReply {
  return typeof result === "object" && result !== null && "awaitReply" in result;
}

export type SagaStep<Input, Output = unknown> = {
  /** Stable id, part of job ids and of the recorded history: never rename a step of a saga type in use. */
  name: string;
  /**
   * Whether this saga runs the step at all (default: always). A step that does not apply is passed over going forward
   * and when compensating, and never appears in the saga's history. Must depend on the input alone.
   */
  appliesTo?(input: Input): boolean;
  /**
   * Runs inside the saga's transaction. Throw a DomainError for a business failure: no retry, compensate at once. Or
   * send a message in the transaction and return `awaitReply`: `onReply` then finishes the action.
   */
  action(context: StepContext<Input>): Promise<ActionResult<Output> | AwaitingReply>;
  /**
   * The reply an awaiting action waited for, in the saga's transaction: returns the action's result, or throws a
   * DomainError for a refusal (the saga compensates from the step before, as for a failed action; throw before
   * writing anything). Any other error leaves the saga waiting, and the reply's transport delivers it again.
   */
  onReply?(context: StepContext<Input> & { reply: unknown }): Promise<ActionResult<Output>>;
  /**
   * Undoes the action, in the saga's transaction; runs only if the action committed and a later step failed (or the
   * saga was cancelled). Must be idempotent and return early when there is nothing to undo. May send a message and
   * await its reply (`onCompensationReply`); sent again, with the same keys, when no reply came in time. A step that
   * awaits a reply is also compensated when its own wait failed or was cancelled, so its compensation must be safe
   * whether or not the message it waited on was ever acted on (then `output` is undefined).
   */
  compensation?(context: StepContext<Input> & { output: Output }): Promise<void | AwaitingReply>;
  /** The reply an awaiting compensation waited for, in the saga's transaction: the compensation is then done. */
  onCompensationReply?(context: StepContext<Input> & { output: Output; reply: unknown }): Promise<void>;
  /** Who answers the messages this step waits on, in words for the monitor and the history ("Loyalty"). */
  replyFrom?: string;
  /** Why a wait of this step's action failed, in words the saga's owner understands (default: "No reply from …"). */
  noReplyReason?: string;
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

/** Whether the saga with this input runs the step. */
export function appliesTo(step: SagaStep<unknown>, input: unknown): boolean {
  return step.appliesTo?.(input) ?? true;
}

export function maxAttemptsOf(step: SagaStep<unknown>, phase: SagaPhase): number {
  return phase === "action"
    ? (step.maxActionAttempts ?? DEFAULT_MAX_ACTION_ATTEMPTS)
    : (step.maxCompensationAttempts ?? DEFAULT_MAX_COMPENSATION_ATTEMPTS);
}
