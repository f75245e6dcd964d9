import type { inferRouterInputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";
import type { CheckoutStatus } from "@/server/retail/checkout/get-checkout-status";

/**
 * Issue 15's additions to the API as the pages use them, typed here until the server branch that adds them is merged:
 * points-saga (checkout.start's `pointsToUse`, checkout.status's points, the monitor's waiting steps). THE ONE PLACE
 * TO SWITCH: once it is in, each stand-in below becomes the router's own type, and the pages that use them stay as
 * they are. (points-loyalty's loyalty.quote and PointsRestored are on main, used as they are.)
 */

/**
 * What checkout.status adds: the points asked for, those Loyalty redeemed and what they took off (0 until it has,
 * and 0 again once they were given back), and what the wallet pays.
 */
export type CheckoutPoints = {
  /** What the shopper asked to use when starting the checkout (0: none). */
  pointsRequested: number;
  /** What Loyalty redeemed: 0 until it has, and again once a failed checkout gave them back. */
  pointsUsed: number;
  discountCents: number;
  /** amountCents − discountCents: what the wallet pays. */
  paidCents: number;
};

export type CheckoutStatusView = CheckoutStatus & CheckoutPoints;

/** A status with its points: as the server sends them once merged; before, a checkout that used none. */
export function withCheckoutPoints(status: CheckoutStatus): CheckoutStatusView {
  const sent = status as CheckoutStatus & Partial<CheckoutPoints>;
  const discountCents = sent.discountCents ?? 0;
  return {
    ...status,
    pointsRequested: sent.pointsRequested ?? 0,
    pointsUsed: sent.pointsUsed ?? 0,
    discountCents,
    paidCents: sent.paidCents ?? status.amountCents - discountCents,
  };
}

type StartCheckoutInput = inferRouterInputs<AppRouter>["checkout"]["start"];

/** checkout.start's input with the points to use (the same idempotency key with other points is a 409). */
export type StartCheckoutWithPoints = StartCheckoutInput & { pointsToUse?: number };

export function startCheckoutInput(input: StartCheckoutWithPoints): StartCheckoutInput {
  return input;
}

/**
 * What a step execution adds on the monitor when a step awaits a reply (like Step Functions' .waitForTaskToken):
 * whether it waits now, since when and until when (its deadline), who answers, the command it sent, and the reply
 * that ended the wait with when it came.
 */
export type StepAwaitingReply = {
  awaitingReply: boolean;
  awaitingSince: Date | null;
  awaitingUntil: Date | null;
  replyFrom: string | null;
  sentMessage: unknown;
  reply: unknown;
  repliedAt: Date | null;
};

export function awaitingReplyOf(run: object): StepAwaitingReply {
  const sent = run as Partial<StepAwaitingReply>;
  return {
    awaitingReply: sent.awaitingReply ?? false,
    awaitingSince: sent.awaitingSince ?? null,
    awaitingUntil: sent.awaitingUntil ?? null,
    replyFrom: sent.replyFrom ?? null,
    sentMessage: sent.sentMessage ?? null,
    reply: sent.reply ?? null,
    repliedAt: sent.repliedAt ?? null,
  };
}
