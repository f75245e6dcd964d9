import { formatPoints } from "@/server/loyalty/points/format-points";
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
import { actionOf, compensationOf, stepperOf, stepsOf, type StepperItem } from "./checkout-stepper-items";

/**
 * What a shopper is told about a checkout, in plain words, from what `checkout.status` reports. Pure, so every
 * combination of steps can be unit tested; the page only draws it.
 */

export type CheckoutOutcome = "in-progress" | "undoing" | "confirmed" | "failed" | "needs-attention";

export type CheckoutStory = {
  outcome: CheckoutOutcome;
  /** The page's heading. */
  title: string;
  /** One or two sentences saying what happened, or what is happening. */
  message: string;
  steps: StepperItem[];
  /** Steps done so far, of `steps.length`, for a progress bar. */
  doneCount: number;
  /** The wallet could not pay: topping it up is what would help. */
  suggestTopUp: boolean;
  /** The points this checkout used are back in the shopper's account (it failed after using them). */
  pointsGivenBack: boolean;
};

type Status = Pick<
  CheckoutStatus,
  | "status"
  | "steps"
  | "failureReason"
  | "productName"
  | "quantity"
  | "amountCents"
  | "pointsRequested"
  | "pointsUsed"
  | "discountCents"
  | "paidCents"
  | "pointsGivenBack"
  | "refundedCents"
>;

/** What the page knows beyond the status: the step under way has taken longer than usual (SLOW_STEP_MS). */
export type StoryContext = { slow?: boolean };

/** How long a step may take before the page says it is taking longer than usual (they take milliseconds). */
export const SLOW_STEP_MS = 5_000;

/** A checkout that will not change any more: stop asking. */
export function isFinished(status: Pick<CheckoutStatus, "status">): boolean {
  return isSagaFinished(status.status);
}

export function checkoutStory(status: Status, context: StoryContext = {}): CheckoutStory {
  const steps = stepperOf(status);
  const doneCount = steps.filter((item) => item.state === "done").length;
  const paymentRefused = actionOf(status, debitWalletStepId)?.status === "failed" && !technicalReason(status);
  const base = {
    steps,
    doneCount,
    suggestTopUp: status.status === "compensated" && paymentRefused,
    pointsGivenBack: givenBackPoints(status) !== null,
  };
  const leave = context.slow ? ` ${takingLonger("we'll finish putting everything back")}` : "";

  switch (status.status) {
    case "running":
      return { ...base, outcome: "in-progress", title: "Placing your order…", message: progressMessage(status, steps, context) };
    case "completed":
      return {
        ...base,
        outcome: "confirmed",
        title: "Order confirmed",
        message: `${status.quantity === 1 ? `The ${status.productName} is` : `${status.quantity} × ${status.productName} are`} yours. ${paymentSentence(status)}`,
      };
    case "compensating":
      return {
        ...base,
        outcome: "undoing",
        title: "Your order couldn't go through",
        message: `${reasonOf(status)} We're putting everything back as it was…${leave}`,
      };
    case "compensated":
      return {
        ...base,
        outcome: "failed",
        title: "Your order didn't go through",
        message: `${reasonOf(status)} ${undoneSentence(status)}`.trim(),
      };
    case "needs_attention":
      return {
        ...base,
        outcome: "needs-attention",
        title: "Our team is sorting out your order",
        message:
          `${reasonOf(status)} We couldn't put everything back automatically, so your checkout is now with our shop ` +
          `team, who are fixing it by hand. You don't need to do anything. ${moneySoFar(status)}${pointsSoFar(status)}`,
      };
  }
}

/** Said once the step under way has taken longer than usual: nothing depends on the page staying open. */
function takingLonger(whatCarriesOn: string, alreadySaid = false): string {
  const leave = `you can leave this page: ${whatCarriesOn}, and you'll find it in your orders.`;
  return alreadySaid ? `Y${leave.slice(1)}` : `This is taking longer than usual — ${leave}`;
}

function compensated(status: Status, step: CheckoutStepId): boolean {
  return compensationOf(status, step)?.status === "succeeded";
}

function succeeded(status: Status, step: CheckoutStepId): boolean {
  return actionOf(status, step)?.status === "succeeded";
}

function yourUnicorns(status: Status): string {
  return status.quantity === 1 ? "your unicorn" : `your ${status.quantity} unicorns`;
}

/** What the wallet pays: the price less what the points took off (known once Loyalty has redeemed them). */
function paid(status: Status): string {
  return formatCents(status.paidCents);
}

function paymentSentence(status: Status): string {
  if (status.discountCents <= 0) return `We took ${paid(status)} from your wallet.`;
  return `Your ${formatPoints(status.pointsUsed)} took ${formatCents(status.discountCents)} off, and we took ${paid(status)} from your wallet.`;
}

function progressMessage(status: Status, steps: StepperItem[], context: StoryContext): string {
  const current = steps.find((item) => item.state === "in-progress" || item.state === "retrying");
  const doing: Record<CheckoutStepId, string> = {
    [reserveStockStepId]: `Reserving ${yourUnicorns(status)}…`,
    [redeemPointsStepId]: `Using your ${formatPoints(status.pointsRequested)}…`,
    [debitWalletStepId]: `Paying ${paid(status)} from your wallet…`,
    [completeOrderStepId]: "Confirming your order…",
  };
  // Nothing under way while still running: every step is done and the order is being wrapped up, or none has been
  // recorded yet and the first is about to start.
  const nothingYet = steps.every((item) => item.state === "waiting");
  const message = current ? doing[current.step] : nothingYet ? doing[reserveStockStepId] : doing[completeOrderStepId];
  const retrying = current?.state === "retrying";
  const retry = retrying ? " This is taking a little longer than usual; we're trying again." : "";
  const leave = context.slow ? ` ${takingLonger("your order carries on", retrying)}` : "";
  return `${message}${retry}${leave}`;
}

/**
 * Why it failed, when the reason was written for the shopper (a business failure such as a short wallet, a sell-out,
 * points Loyalty refused, or an expired reservation). The engine's technical reasons ("… kept failing after 3
 * attempts: …", injected faults) are replaced by what the failed step was trying to do.
 */
function reasonOf(status: Status): string {
  const reason = status.failureReason?.trim();
  if (reason && !technicalReason(status)) return /[.!?]$/.test(reason) ? reason : `${reason}.`;
  const failed = stepsOf(status).find(({ step }) => {
    const action = actionOf(status, step);
    return action && action.status !== "succeeded";
  })?.step;
  switch (failed) {
    case reserveStockStepId:
      return `We couldn't reserve ${yourUnicorns(status)}.`;
    case redeemPointsStepId:
      return "We couldn't use your points.";
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

/** "a, b and c". */
function listOf(parts: string[]): string {
  return parts.length <= 1 ? (parts[0] ?? "") : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
}

/** What was undone after a failure, e.g. "We gave back your 250 points, released your unicorn and nothing was charged." */
function undoneSentence(status: Status): string {
  const charged = succeeded(status, debitWalletStepId);
  const refunded = compensated(status, debitWalletStepId);
  if (charged && !refunded) return moneySoFar(status);
  const undone: string[] = [];
  if (refunded) undone.push(`refunded ${refundedAmount(status)} to your wallet`);
  // Points Loyalty never redeemed (it refused, or did not answer in time) were never used: the reason says so.
  const given = givenBackPoints(status);
  if (given !== null) undone.push(`gave back your ${formatPoints(given)}`);
  if (compensated(status, reserveStockStepId)) undone.push(`released ${yourUnicorns(status)}`);
  // "Nothing was charged" is said once, by the reason when it says it already.
  const sayNothingCharged = !charged && !/nothing was charged/i.test(status.failureReason ?? "");
  if (undone.length === 0) return sayNothingCharged ? "Nothing was charged." : "";
  return `We ${listOf(sayNothingCharged ? [...undone, "nothing was charged"] : undone)}.`;
}

/**
 * The points a failed checkout gave back, or null when it gave none back (it used none). Once they are back the
 * status no longer counts them as used; Loyalty redeems exactly the points asked for, so those are what came back.
 */
function givenBackPoints(status: Status): number | null {
  if (!succeeded(status, redeemPointsStepId) || !compensated(status, redeemPointsStepId)) return null;
  return status.pointsGivenBack;
}

/** What the refund gave back: the status keeps it once the refund is done (the price less any points' discount). */
function refundedAmount(status: Status): string {
  return formatCents(status.refundedCents > 0 ? status.refundedCents : status.paidCents);
}

/** Where the shopper's money stands, honestly, while a person still has to finish the job. */
function moneySoFar(status: Status): string {
  if (!succeeded(status, debitWalletStepId)) return "Nothing was charged.";
  if (compensated(status, debitWalletStepId)) return `We refunded ${refundedAmount(status)} to your wallet.`;
  return `We took ${paid(status)} from your wallet; if your order can't be completed, it will be refunded.`;
}

/** Where the points stand, when the checkout used some that are not back yet. */
function pointsSoFar(status: Status): string {
  if (!succeeded(status, redeemPointsStepId) || compensated(status, redeemPointsStepId)) return "";
  return ` The ${formatPoints(status.pointsUsed)} it used will be given back if it can't be completed.`;
}
