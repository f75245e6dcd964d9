import type { SagaActionPlan } from "@/server/admin/sagas/saga-action-plan";
import { formatInstant } from "./saga-time";
import { stepRunName } from "./saga-words";

/**
 * What each action's confirm dialog says will run, worded from the plan the server made with the engine's own planner
 * (server/admin/sagas/saga-action-plan.ts): the banner, the dialog and what then runs name the same step.
 */

/** "Undo debit-wallet: refund runs again, then Undo reserve-stock: release stock." */
export function retryWords(retry: NonNullable<SagaActionPlan["retry"]>): string {
  const again = `${stepRunName(retry.step, "compensation")} runs again`;
  return retry.then.length === 0 ? `${again}, and the saga is then fully undone.` : `${again}, then ${undoList(retry.then)}.`;
}

/** "reserve-stock (action) is enqueued again." or why a redrive does nothing now. */
export function redriveWords(redrive: NonNullable<SagaActionPlan["redrive"]>, timeZone?: string): string {
  if ("waitingUntil" in redrive) {
    return `${redrive.step} is waiting for a reply until ${formatInstant(redrive.waitingUntil, timeZone)}: a redrive does nothing before then.`;
  }
  const name = stepRunName(redrive.step, redrive.phase);
  return `${name} (${redrive.phase}) is enqueued again.`;
}

/** "Undo debit-wallet: refund, then Undo reserve-stock: release stock run." */
export function cancelWords(cancel: NonNullable<SagaActionPlan["cancel"]>): string {
  if (cancel.undoes.length === 0) return "Nothing it did needs undoing: the saga simply ends.";
  return `What it did so far is undone: ${undoList(cancel.undoes)} ${cancel.undoes.length === 1 ? "runs" : "run, in that order"}.`;
}

function undoList(steps: readonly string[]): string {
  return steps.map((step) => stepRunName(step, "compensation")).join(", then ");
}
