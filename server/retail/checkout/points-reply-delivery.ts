import type { PointsReply } from "@/server/contracts/checkout-points-messages";
import type { SagaReply } from "@/server/saga/saga-step-runner";
import { CHECKOUT_SAGA_TYPE } from "./checkout-saga";
import { redeemPointsStepId } from "./checkout-steps";

/**
 * Which wait a reply of Loyalty's ends: its checkout's saga, at the redeem-points step, in the action (redeemed or
 * refused) or the compensation (restored). The saga engine does nothing with it unless the saga waits there.
 */
export function pointsReplyDelivery(reply: PointsReply): SagaReply {
  return {
    // As PostgreSQL writes uuids: the engine matches deliveries to the rows it locked by id.
    sagaId: reply.checkoutId.toLowerCase(),
    sagaType: CHECKOUT_SAGA_TYPE,
    step: redeemPointsStepId,
    phase: reply.type === "PointsRestoredForCheckout" ? "compensation" : "action",
    reply,
  };
}
