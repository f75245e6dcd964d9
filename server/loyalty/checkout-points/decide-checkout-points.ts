import type {
  PointsCommand,
  PointsRedemptionRefused,
  PointsReply,
  RedeemPointsForCheckout,
  RestorePointsForCheckout,
} from "@/server/contracts/checkout-points-messages";
import { DomainError } from "@/server/errors";
import { decidePoints } from "@/server/loyalty/points/decide-points";
import type { PointEvent } from "@/server/loyalty/points/point-events";
import { availablePoints, type PointsState } from "@/server/loyalty/points/points-state";
import { quotePoints } from "@/server/loyalty/rules/quote-points";
import type { RedemptionRule } from "@/server/loyalty/rules/redemption-rule";
import { checkoutRedemptionId } from "./checkout-redemption-id";
import { CANCELLED_BEFORE_REDEMPTION, redemptionRefusal } from "./refusal-reasons";

export type CheckoutCommandKind = PointsCommand["type"];

/** The reply each command of this checkout got, as stored (loyalty_checkout_outcomes). */
export type StoredOutcomes = ReadonlyMap<CheckoutCommandKind, PointsReply>;

export type CheckoutOutcome = { command: CheckoutCommandKind; reply: PointsReply };

/** What a checkout command means: the reply to send, the events to append, the outcomes to store with them. */
export type CheckoutPointsDecision = { reply: PointsReply; events: PointEvent[]; outcomes: CheckoutOutcome[] };

/**
 * Decides a command of the checkout saga (server/contracts/checkout-points-messages.ts), pure: the customer's points
 * (`state`), the outcomes stored for this checkout, the redemption rule and the clock come in.
 *
 * Exactly once, refusals included: a command with a stored outcome is answered with it, and nothing is written. A
 * refusal is stored too, so it stays a refusal; a restore of a redemption that never happened stores a refusal for
 * the redemption as well, so a redeem command arriving late redeems nothing (its saga has already compensated).
 */
export function decideCheckoutPoints(
  command: PointsCommand,
  context: { state: PointsState; stored: StoredOutcomes; rule: RedemptionRule; now: Date },
): CheckoutPointsDecision {
  const stored = context.stored.get(command.type);
  if (stored) return { reply: stored, events: [], outcomes: [] };
  switch (command.type) {
    case "RedeemPointsForCheckout":
      return redeemForCheckout(command, context);
    case "RestorePointsForCheckout":
      return restoreForCheckout(command, context);
    default: {
      const unknown: never = command;
      throw new Error(`Unknown points command: ${JSON.stringify(unknown)}`);
    }
  }
}

/** Uses the points first-expiring first, if the customer has them and the rule lets this order use them. */
function redeemForCheckout(
  command: RedeemPointsForCheckout,
  { state, rule, now }: { state: PointsState; rule: RedemptionRule; now: Date },
): CheckoutPointsDecision {
  const refuse = (reason: string) => {
    const reply = refusal(command, reason, now);
    return { reply, events: [], outcomes: [{ command: command.type, reply }] };
  };
  const request = { points: command.points, amountCents: command.amountCents, spendablePoints: availablePoints(state, now) };
  const reason = redemptionRefusal(rule, request);
  if (reason) return refuse(reason);

  const redemptionId = checkoutRedemptionId(command.checkoutId);
  let events: PointEvent[];
  try {
    events = decidePoints({ type: "RedeemPoints", data: { redemptionId, points: command.points, checkoutId: command.checkoutId } }, state, { now });
  } catch (error) {
    if (error instanceof DomainError) return refuse(error.message);
    throw error;
  }
  const redeemed = events.find((event) => event.type === "PointsRedeemed");
  // The redemption is named after the checkout and stored with its outcome, so it cannot exist without one.
  if (redeemed?.type !== "PointsRedeemed") throw new Error(`Checkout ${command.checkoutId} has a redemption but no stored outcome`);
  const expiryOf = new Map(state.lots.map((lot) => [lot.lotId, lot.expiresAt]));
  const reply: PointsReply = {
    type: "PointsRedeemedForCheckout",
    checkoutId: command.checkoutId,
    customerId: command.customerId,
    points: redeemed.data.points,
    discountCents: quotePoints(rule, request).discountCents,
    lots: redeemed.data.lots.map(({ lotId, points }) => ({ lotId, points, expiresAt: expiryOf.get(lotId)!.toISOString() })),
    repliedAt: now.toISOString(),
  };
  return { reply, events, outcomes: [{ command: command.type, reply }] };
}

/** Gives back what the checkout's redemption took, if it took anything; if not, makes sure it never will. */
function restoreForCheckout(
  command: RestorePointsForCheckout,
  { state, stored, now }: { state: PointsState; stored: StoredOutcomes; now: Date },
): CheckoutPointsDecision {
  const redemptionId = checkoutRedemptionId(command.checkoutId);
  const events = decidePoints({ type: "RestorePoints", data: { redemptionId } }, state, { now });
  const restored = events.find((event) => event.type === "PointsRestored");
  const reply: PointsReply = {
    type: "PointsRestoredForCheckout",
    checkoutId: command.checkoutId,
    customerId: command.customerId,
    points: restored?.type === "PointsRestored" ? restored.data.points : 0,
    repliedAt: now.toISOString(),
  };
  const outcomes: CheckoutOutcome[] = [{ command: command.type, reply }];
  const neverRedeemed = !state.redemptions.has(redemptionId) && !stored.has("RedeemPointsForCheckout");
  if (neverRedeemed) outcomes.unshift({ command: "RedeemPointsForCheckout", reply: refusal(command, CANCELLED_BEFORE_REDEMPTION, now) });
  return { reply, events, outcomes };
}

function refusal(command: PointsCommand, reason: string, now: Date): PointsRedemptionRefused {
  return { type: "PointsRedemptionRefused", checkoutId: command.checkoutId, customerId: command.customerId, reason, repliedAt: now.toISOString() };
}
