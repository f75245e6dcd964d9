import { pointsReplySchema, type PointsReply } from "@/server/contracts/checkout-points-messages";
import { defineQueue } from "./define-queue";

/**
 * Loyalty's replies to the checkout saga's points commands, consumed by the checkout workers, which hand each to the
 * saga engine: the saga waiting for it moves on; a late or repeated reply finds it elsewhere and does nothing.
 */
export const pointsRepliesQueue = defineQueue({
  name: "points-replies",
  jobs: { "points-reply": pointsReplySchema },
  defaultJobOptions: {
    attempts: 10,
    backoff: { type: "exponential", delay: 500 },
    removeOnComplete: { age: 86_400 },
    removeOnFail: { age: 7 * 86_400 },
  },
});

/** One reply per checkout and kind: sent again (a command handled twice), it is one job while the first is kept. */
export function pointsReplyJobId(reply: Pick<PointsReply, "checkoutId" | "type">): string {
  return `${reply.checkoutId}_${reply.type}`;
}
