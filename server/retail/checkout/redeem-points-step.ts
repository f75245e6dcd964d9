import {
  pointsReplySchema,
  type PointsReply,
  type RedeemPointsForCheckout,
  type RestorePointsForCheckout,
} from "@/server/contracts/checkout-points-messages";
import { DomainError } from "@/server/errors";
import { insertOutboxMessage } from "@/server/retail/outbox/outbox-message";
import { defineStep } from "@/server/saga/saga-definition";
import type { SqlClient } from "@/server/sql";
import type { RedeemPointsOutput } from "./amount-to-pay";
import type { CheckoutInput } from "./checkout-input";
import { redeemPointsStepId } from "./checkout-steps";

/**
 * Pays part of the checkout with the shopper's loyalty points, which only Loyalty can spend: the step asks it over
 * messages (server/contracts/checkout-points-messages.ts), the command through Retail's outbox in the saga's
 * transaction, and waits for the reply. Loyalty redeems once per checkout, however often it is asked; its refusal
 * (too few points, more than the order may use) is the shopper's to read. Runs only when the shopper chose points.
 */
export function redeemPointsStep(options: { replyTimeoutMs: number }) {
  /** Sends the command through the outbox, in the saga's transaction, and waits for Loyalty's reply. */
  async function ask(tx: SqlClient, command: RedeemPointsForCheckout | RestorePointsForCheckout, now: Date) {
    await tx.count(insertOutboxMessage(command));
    return { awaitReply: { until: new Date(now.getTime() + options.replyTimeoutMs), sent: command } };
  }
  const about = (input: CheckoutInput) => ({ checkoutId: input.checkoutId, customerId: input.customerId });

  return defineStep<CheckoutInput, RedeemPointsOutput>({
    name: redeemPointsStepId,
    appliesTo: (input) => input.pointsToUse > 0,
    replyFrom: "Loyalty",
    noReplyReason: "We couldn't reach our points service in time, so your points were not used and nothing was charged.",

    action({ tx, input, now }) {
      const points = input.pointsToUse;
      return ask(tx, { type: "RedeemPointsForCheckout", ...about(input), points, amountCents: input.amountCents, sentAt: now.toISOString() }, now);
    },

    async onReply({ input, reply }) {
      const answer = replyOf(input, reply);
      if (answer.type === "PointsRedemptionRefused") throw new DomainError("INSUFFICIENT_POINTS", answer.reason);
      if (answer.type !== "PointsRedeemedForCheckout") throw new Error(`A ${answer.type} cannot answer a redemption`);
      // Loyalty caps a discount well below the price; one that is not would leave nothing to pay. Not a refusal: the
      // points are spent. The wait then runs out and the compensation gives them back.
      if (answer.discountCents >= input.amountCents) {
        throw new Error(`Loyalty took ${answer.discountCents} cents off an order of ${input.amountCents}`);
      }
      return { output: { pointsUsed: answer.points, discountCents: answer.discountCents, lots: answer.lots } };
    },

    /**
     * Runs when paying or confirming failed, the checkout was cancelled, or Loyalty did not answer in time: whatever
     * the redemption took goes back to its lots. Safe whether or not it happened (Loyalty then records that it never
     * may), and sent again, the same, while no reply comes.
     */
    compensation({ tx, input, now }) {
      return ask(tx, { type: "RestorePointsForCheckout", ...about(input), sentAt: now.toISOString() }, now);
    },

    async onCompensationReply({ input, reply }) {
      const answer = replyOf(input, reply);
      if (answer.type !== "PointsRestoredForCheckout") throw new Error(`A ${answer.type} cannot answer a restore`);
    },
  });
}

/** The reply, checked: it must be about this checkout's customer (the saga's id already matched its checkout). */
function replyOf(input: CheckoutInput, reply: unknown): PointsReply {
  const answer = pointsReplySchema.parse(reply);
  if (answer.checkoutId !== input.checkoutId || answer.customerId !== input.customerId) {
    throw new Error(`A reply about checkout ${answer.checkoutId} of customer ${answer.customerId} reached checkout ${input.checkoutId}`);
  }
  return answer;
}
