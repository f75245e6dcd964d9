import type { SqlClient } from "@/server/sql";
import { isAwaitingReply, maxAttemptsOf, type ActionResult, type AwaitingReply, type SagaDefinition, type SagaStep } from "./saga-definition";
import * as plan from "./saga-plan";
import type { LockedSaga, SagaChange, SagaJob, StepOutcome } from "./saga-store";

/**
 * What one delivery does to its saga, under the saga's lock, inside the transaction of its batch: a step job runs its
 * step (action or compensation), or ends a wait that is over; a reply ends the wait it answers. Every path ends in a
 * SagaChange that the runner records with the others of the batch, or in nothing to do.
 */

/** A delivery of a step's job (with its attempt count) or of a reply to the message the step sent. */
export type Delivery = { job: SagaJob; attempts: number; reply?: { value: unknown } };

/** Whether the delivery has work to do at its saga; if not, the job that should exist for the saga, if any. */
export type Finding =
  | { due: true }
  | { due: false; next: plan.StepJobRef | null; why: "no saga" | "moved on" | "waiting" | "not waiting for this reply" };

export function findWork(saga: LockedSaga | undefined, { job, reply }: Delivery): Finding {
  if (!saga || saga.saga_type !== job.sagaType) return { due: false, next: null, why: "no saga" };
  const atStep = saga.current_step === job.step;
  if (reply) {
    const waiting = saga.awaiting_reply_until !== null && atStep && plan.replyPhaseFor(saga.status) === job.phase;
    return waiting ? { due: true } : { due: false, next: null, why: "not waiting for this reply" };
  }
  const phase = plan.phaseFor(saga.status);
  if (phase !== job.phase || !atStep) {
    // A duplicate or late delivery: this step is done (or the saga moved on). Make sure the saga's real current job
    // exists — a worker may have died between committing a step and scheduling the next one — unless it waits.
    const current = phase && saga.current_step && saga.awaiting_reply_until === null ? { step: saga.current_step, phase } : null;
    return { due: false, next: current, why: "moved on" };
  }
  // Delivered again while the step waits (a duplicate, a redrive): the reply, or the wait's end, moves it on.
  if (saga.awaiting_reply_until !== null && !saga.reply_overdue) return { due: false, next: null, why: "waiting" };
  return { due: true };
}

export type Due = { delivery: Delivery; saga: LockedSaga; definition: SagaDefinition; step: SagaStep<unknown>; input: unknown };

/** Runs the due delivery's part in its saga's transaction and says how the saga changes. */
export async function advance(tx: SqlClient, due: Due, now: Date): Promise<SagaChange> {
  const { delivery, saga, step, input } = due;
  const context = { tx, sagaId: saga.id, input, outputs: saga.step_outputs, now };
  const output = saga.step_outputs[step.name];
  if (delivery.reply) {
    const reply = delivery.reply.value;
    if (delivery.job.phase === "action") {
      if (!step.onReply) throw new Error(`Step ${step.name} awaited a reply it has no handler for`);
      return { ...actionDone(due, await step.onReply({ ...context, reply })), reply: delivery.reply };
    }
    await step.onCompensationReply?.({ ...context, output, reply });
    return { ...compensationDone(due), reply: delivery.reply };
  }
  if (saga.awaiting_reply_until !== null) {
    const waitEnded = waitOver(due, saga.awaiting_reply_until);
    if (waitEnded) return waitEnded;
  }
  if (delivery.job.phase === "action") {
    const result = await step.action(context);
    return isAwaitingReply(result) ? awaiting(due, "running", result) : actionDone(due, result);
  }
  const result = await step.compensation?.({ ...context, output });
  return isAwaitingReply(result) ? awaiting(due, "compensating", result) : compensationDone(due);
}

/** Why the wait failed, for the step's history. */
export function noReplyError(step: SagaStep<unknown>, until: Date): string {
  return `No reply from ${step.replyFrom ?? "the other side"} by ${until.toISOString()}.`;
}

/**
 * No reply came in time. An action's wait is a failure, and compensation starts from this step itself (its message
 * may have been acted on). A compensation is sent again (null: run it as usual) until its attempts are used up; the
 * saga then needs attention, and still takes the reply should it come.
 */
function waitOver(due: Due, until: Date): SagaChange | null {
  const { delivery, definition, step, input } = due;
  const error = noReplyError(step, until);
  if (delivery.job.phase === "action") {
    const transition = plan.compensateAfterWait(definition, step.name, input);
    return { job: delivery.job, transition, outcome: { status: "failed", error }, failure: { reason: step.noReplyReason ?? error, step: step.name } };
  }
  if (delivery.attempts < maxAttemptsOf(step, "compensation")) return null;
  const reason = `${step.name} got no reply after ${delivery.attempts} attempts: ${error}`;
  return {
    job: delivery.job,
    transition: plan.needsAttention(step.name),
    outcome: { status: "failed", error },
    failure: { reason, step: step.name },
    keepTakingReply: true,
  };
}

function actionDone({ delivery, definition, step, input }: Due, result: ActionResult<unknown>): SagaChange {
  const outcome: StepOutcome = { status: "succeeded", output: result.output };
  return { job: delivery.job, transition: plan.afterAction(definition, step.name, input), outcome, deadlineAt: result.deadlineAt };
}

function compensationDone({ delivery, definition, step, input }: Due): SagaChange {
  return { job: delivery.job, transition: plan.afterCompensation(definition, step.name, input), outcome: { status: "succeeded", output: null } };
}

function awaiting({ delivery, step }: Due, status: "running" | "compensating", { awaitReply }: AwaitingReply): SagaChange {
  const outcome: StepOutcome = { status: "awaiting", until: awaitReply.until, from: step.replyFrom ?? "the other side", sent: awaitReply.sent };
  return { job: delivery.job, transition: plan.awaitReply(status, step.name), outcome };
}
