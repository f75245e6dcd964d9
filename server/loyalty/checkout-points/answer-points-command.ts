import type { PointsCommand, PointsReply } from "@/server/contracts/checkout-points-messages";
import { appendPointEvents, readPointStream } from "@/server/loyalty/event-store/point-event-store";
import { retryOnStreamConflict } from "@/server/loyalty/event-store/retry-on-stream-conflict";
import { evolvePoints, initialPointsState } from "@/server/loyalty/points/points-state";
import { readRedemptionRule } from "@/server/loyalty/rules/redemption-rule-store";
import { inTransaction, type SqlClient } from "@/server/sql";
import { checkoutCommandCause } from "./checkout-redemption-id";
import { readCheckoutOutcomes, storeCheckoutOutcomes } from "./checkout-outcome-store";
import { decideCheckoutPoints } from "./decide-checkout-points";

/**
 * Loyalty's handler of the checkout saga's points commands: decides the command (decideCheckoutPoints), stores its
 * outcome and appends its events in one transaction, then — only after the commit — hands the reply to `sendReply`
 * (the points-replies queue). A command delivered again, or handled again because the process died before the reply
 * went out, is answered with the stored reply and writes nothing. Resolves once the reply is sent.
 */
export async function answerPointsCommand(options: {
  command: PointsCommand;
  now: Date;
  sendReply: (reply: PointsReply) => Promise<void>;
}): Promise<PointsReply> {
  const reply = await retryOnStreamConflict(() => inTransaction((tx) => decideAndRecord(tx, options.command, options.now)));
  await options.sendReply(reply);
  return reply;
}

async function decideAndRecord(tx: SqlClient, command: PointsCommand, now: Date): Promise<PointsReply> {
  const stored = await readCheckoutOutcomes(tx, command.checkoutId);
  const repeat = stored.get(command.type);
  if (repeat) return repeat;
  const history = await readPointStream(tx, command.customerId);
  const state = history.reduce((current, event) => evolvePoints(current, event.event), initialPointsState());
  const rule = await readRedemptionRule(tx);
  const decision = decideCheckoutPoints(command, { state, stored, rule, now });
  // The outcomes first: a concurrent handler of the same checkout waits here, before the append's lock.
  await storeCheckoutOutcomes(tx, { checkoutId: command.checkoutId, customerId: command.customerId, outcomes: decision.outcomes });
  if (decision.events.length > 0) {
    await appendPointEvents(tx, {
      streamId: command.customerId,
      expectedVersion: history.at(-1)?.version ?? 0,
      events: decision.events,
      occurredAt: now,
      causedBy: checkoutCommandCause(command.checkoutId, command.type === "RedeemPointsForCheckout" ? "redeem" : "restore"),
    });
  }
  return decision.reply;
}
