import {
  completeOrderStepId,
  debitWalletStepId,
  redeemPointsStepId,
  reserveStockStepId,
  type CheckoutStepId,
} from "@/server/retail/checkout/checkout-steps";
import type { CheckoutStatus } from "@/server/retail/checkout/get-checkout-status";
import { formatCents } from "@/server/retail/money";
import { isFinished as isSagaFinished } from "@/server/saga/saga-status";

/**
 * What a shopper is told about a checkout, in plain words, from what `checkout.status` reports. Pure, so every
 * combination of steps can be unit tested; the page only draws it.
 */

/** The three steps the shopper sees, in order, with the word for "this step is done". */
export const STEPPER: readonly { step: CheckoutStepId; label: string }[] = [
  { step: reserveStockStepId, label: "Reserved" },
  { step: debitWalletStepId, label: "Paid" },
  { step: completeOrderStepId, label: "Confirmed" },
];

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

export type CheckoutOutcome = "in-progress" | "undoing" | "confirmed" | "failed" | "needs-attention";

export type CheckoutStory = {
  outcome: CheckoutOutcome;
  /** The page's heading. */
  title: string;
  /** One or two sentences saying what happened, or what is happening. */
  message: string;
  steps: StepperItem[];
  /** Steps done so far (0–3), for a progress bar. */
  doneCount: number;
  /** The wallet could not pay: topping it up is what would help. */
  suggestTopUp: boolean;
};

type Status = Pick<CheckoutStatus, "status" | "steps" | "failureReason" | "productName" | "quantity" | "amountCents">;

/** A checkout that will not change any more: stop asking. */
export function isFinished(status: Pick<CheckoutStatus, "status">): boolean {
  return isSagaFinished(status.status);
}

export function checkoutStory(status: Status): CheckoutStory {
  const steps = stepperOf(status);
  const doneCount = steps.filter((item) => item.state === "done").length;
  const paymentRefused = actionOf(status, debitWalletStepId)?.status === "failed" && !technicalReason(status);
  const base = { steps, doneCount, suggestTopUp: status.status === "compensated" && paymentRefused };
  const amount = formatCents(status.amountCents);

  switch (status.status) {
    case "running":
      return { ...base, outcome: "in-progress", title: "Placing your order…", message: progressMessage(status, steps) };
    case "completed":
      return {
        ...base,
        outcome: "confirmed",
        title: "Order confirmed",
        message: `${status.quantity === 1 ? `The ${status.productName} is` : `${status.quantity} × ${status.productName} are`} yours. We took ${amount} from your wallet.`,
      };
    case "compensating":
      return {
        ...base,
        outcome: "undoing",
        title: "Your order couldn't go through",
        message: `${reasonOf(status)} We're putting everything back as it was…`,
      };
    case "compensated":
      return {
        ...base,
        outcome: "failed",
        title: "Your order didn't go through",
        message: `${reasonOf(status)} ${undoneSentence(status)}`,
      };
    case "needs_attention":
      return {
        ...base,
        outcome: "needs-attention",
        title: "Our team is sorting out your order",
        message:
          `${reasonOf(status)} We couldn't put everything back automatically, so your checkout is now with our shop ` +
          `team, who are fixing it by hand. You don't need to do anything. ${moneySoFar(status)}`,
      };
  }
}

function stepperOf(status: Status): StepperItem[] {
  const active = !isSagaFinished(status.status);
  // While running, the first step whose action has not succeeded is the one being worked on, recorded yet or not.
  const current = status.status === "running" ? STEPPER.find(({ step }) => actionOf(status, step)?.status !== "succeeded") : undefined;
  return STEPPER.map(({ step, label }) => {
    const action = actionOf(status, step);
    const compensation = status.steps.find((entry) => entry.step === step && entry.phase === "compensation");
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

function actionOf(status: Status, step: CheckoutStepId) {
  return status.steps.find((entry) => entry.step === step && entry.phase === "action");
}

function compensated(status: Status, step: CheckoutStepId): boolean {
  return status.steps.some((entry) => entry.step === step && entry.phase === "compensation" && entry.status === "succeeded");
}

function yourUnicorns(status: Status): string {
  return status.quantity === 1 ? "your unicorn" : `your ${status.quantity} unicorns`;
}

function progressMessage(status: Status, steps: StepperItem[]): string {
  const current = steps.find((item) => item.state === "in-progress" || item.state === "retrying");
  const doing: Record<CheckoutStepId, string> = {
    [reserveStockStepId]: `Reserving ${yourUnicorns(status)}…`,
    [redeemPointsStepId]: "Using your points…",
    [debitWalletStepId]: `Paying ${formatCents(status.amountCents)} from your wallet…`,
    [completeOrderStepId]: "Confirming your order…",
  };
  const message = doing[current?.step ?? reserveStockStepId];
  return current?.state === "retrying" ? `${message} This is taking a little longer than usual; we're trying again.` : message;
}

/**
 * Why it failed, when the reason was written for the shopper (a business failure such as a short wallet, a sell-out
 * or an expired reservation). The engine's technical reasons ("… kept failing after 3 attempts: …", injected faults)
 * are replaced by what the failed step was trying to do.
 */
function reasonOf(status: Status): string {
  const reason = status.failureReason?.trim();
  if (reason && !technicalReason(status)) return /[.!?]$/.test(reason) ? reason : `${reason}.`;
  const failed = STEPPER.find(({ step }) => {
    const action = actionOf(status, step);
    return action && action.status !== "succeeded";
  })?.step;
  switch (failed) {
    case reserveStockStepId:
      return `We couldn't reserve ${yourUnicorns(status)}.`;
    case debitWalletStepId:
      return "We couldn't take the payment from your wallet.";
    case completeOrderStepId:
      return "We couldn't confirm your order.";
    default:
      return "Something went wrong with your order.";
  }
}

const TECHNICAL_REASON = /kept failing after \d+ attempts|fault injected/i;

function technicalReason(status: Status): boolean {
  return TECHNICAL_REASON.test(status.failureReason ?? "");
}

/** What was undone after a failure, e.g. "We released your unicorn and nothing was charged." */
function undoneSentence(status: Status): string {
  const charged = actionOf(status, debitWalletStepId)?.status === "succeeded";
  const refunded = compensated(status, debitWalletStepId);
  const released = compensated(status, reserveStockStepId);
  const release = `released ${yourUnicorns(status)}`;
  if (charged && refunded) {
    const refund = `We refunded ${formatCents(status.amountCents)} to your wallet`;
    return released ? `${refund} and ${release}.` : `${refund}.`;
  }
  if (charged) return moneySoFar(status);
  return released ? `We ${release} and nothing was charged.` : "Nothing was charged.";
}

/** Where the shopper's money stands, honestly, while a person still has to finish the job. */
function moneySoFar(status: Status): string {
  const charged = actionOf(status, debitWalletStepId)?.status === "succeeded";
  if (!charged) return "Nothing was charged.";
  const amount = formatCents(status.amountCents);
  if (compensated(status, debitWalletStepId)) return `We refunded ${amount} to your wallet.`;
  return `We took ${amount} from your wallet; if your order can't be completed, it will be refunded.`;
}
