import type { PointsReply } from "@/server/contracts/checkout-points-messages";
import { enqueue } from "@/server/queues/define-queue";
import { pointsRepliesQueue, pointsReplyJobId } from "@/server/queues/points-replies-queue";

/**
 * Where Loyalty's replies to the checkout saga leave the process: the points-replies queue, one job per checkout and
 * reply kind, so a reply sent again (a command handled again) is the same job while the first is kept.
 */
export async function sendPointsReply(reply: PointsReply): Promise<void> {
  await enqueue(pointsRepliesQueue, "points-reply", reply, { jobId: pointsReplyJobId(reply) });
}
