import type { CheckoutStatus } from "@/server/retail/checkout/get-checkout-status";
import {
  completeOrderStepId,
  debitWalletStepId,
  redeemPointsStepId,
  reserveStockStepId,
  type CheckoutStepId,
} from "@/server/retail/checkout/checkout-steps";
import { isFinished as isSagaFinished } from "@/server/saga/saga-status";

/** The steps of a checkout as the shopper's stepper shows them, each in one state, from what `checkout.status` says. */

export type StepState =
  | "waiting" // not reached yet, the checkout is still going
  | "in-progress"
  | "retrying"
  | "done"
  | "failed"
  | "undoing"
  | "undone"
  | "not-started"; // never reached, and never will be: the checkout ended before it

export type StepperItem = { step: CheckoutStepId; label: string; state: StepState; stateText: string };

export type StepperStatus = Pick<CheckoutStatus, "status" | "steps" | "pointsRequested">;

/** Every step a checkout may have, in order, with the word for "this step is done". */
const ALL_STEPS: readonly { step: CheckoutStepId; label: string }[] = [
  { step: reserveStockStepId, label: "Reserved" },
  { step: redeemPointsStepId, label: "Points used" },
  { step: debitWalletStepId, label: "Paid" },
  { step: completeOrderStepId, label: "Confirmed" },
];

const UNDONE_TEXT: Record<CheckoutStepId, string> = {
  [reserveStockStepId]: "Released",
  [redeemPointsStepId]: "Points given back",
  [debitWalletStepId]: "Refunded",
  [completeOrderStepId]: "Undone",
};

const UNDOING_TEXT: Record<CheckoutStepId, string> = {
  [reserveStockStepId]: "Releasing",
  [redeemPointsStepId]: "Giving points back",
  [debitWalletStepId]: "Refunding",
  [completeOrderStepId]: "Undoing",
};

/** The steps this checkout has: using points is a step only in a checkout that asked to use some. */
export function stepsOf(status: Pick<StepperStatus, "steps" | "pointsRequested">): readonly { step: CheckoutStepId; label: string }[] {
  const usesPoints = status.pointsRequested > 0 || status.steps.some((entry) => entry.step === redeemPointsStepId);
  return ALL_STEPS.filter(({ step }) => step !== redeemPointsStepId || usesPoints);
}

export function actionOf(status: Pick<StepperStatus, "steps">, step: CheckoutStepId) {
  return status.steps.find((entry) => entry.step === step && entry.phase === "action");
}

export function compensationOf(status: Pick<StepperStatus, "steps">, step: CheckoutStepId) {
  return status.steps.find((entry) => entry.step === step && entry.phase === "compensation");
}

export function stepperOf(status: StepperStatus): StepperItem[] {
  const active = !isSagaFinished(status.status);
  const steps = stepsOf(status);
  // While running, the first step whose action has not succeeded is the one being worked on, recorded yet or not.
  const current = status.status === "running" ? steps.find(({ step }) => actionOf(status, step)?.status !== "succeeded") : undefined;
  return steps.map(({ step, label }) => {
    const action = actionOf(status, step);
    const compensation = compensationOf(status, step);
    const item = (state: StepState, stateText: string): StepperItem => ({ step, label, state, stateText });

    if (compensation) {
      if (compensation.status === "succeeded") return item("undone", UNDONE_TEXT[step]);
      if (compensation.status === "failed") return item("failed", "Couldn't undo");
      return item("undoing", UNDOING_TEXT[step]);
    }
    switch (action?.status) {
      case "succeeded":
        return item("done", "Done");
      case "failed":
        return item("failed", "Failed");
      case "skipped":
        return item("failed", "Stopped");
      case "retrying":
        return active ? item("retrying", "Retrying") : item("failed", "Failed");
      case "running":
        return active ? item("in-progress", "In progress") : item("not-started", "Not started");
      default:
        if (current?.step === step) return item("in-progress", "In progress");
        return status.status === "running" ? item("waiting", "Waiting") : item("not-started", "Not started");
    }
  });
}

/**
 * What is under way right now ("debit-wallet do", "reserve-stock undo"), or null when nothing is: the
 * page times it, to say so when one step takes longer than usual.
 */
export function activityOf(items: readonly StepperItem[]): string | null {
  const under = items.find((item) => item.state === "in-progress" || item.state === "retrying" || item.state === "undoing");
  // A retry of the same step goes on timing it: it is the same wait to the shopper.
  return under ? `${under.step} ${under.state === "undoing" ? "undo" : "do"}` : null;
}
