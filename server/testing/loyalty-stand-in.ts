import { randomUUID } from "node:crypto";
import {
  pointsCommandSchema,
  type PointsCommand,
  type PointsRedeemedForCheckout,
  type PointsRedemptionRefused,
  type PointsReply,
  type PointsRestoredForCheckout,
} from "@/server/contracts/checkout-points-messages";
import { enqueue } from "@/server/queues/define-queue";
import { pointsCommandsQueue } from "@/server/queues/points-commands-queue";
import { pointsRepliesQueue, pointsReplyJobId } from "@/server/queues/points-replies-queue";
import { waitUntil } from "./checkout-flow";
import { openRawQueue, type RawQueue } from "./checkout-flow";

/**
 * Loyalty's side of the points messages, played by a test (tests only): with no loyalty worker running, the test
 * takes the checkout saga's commands off the points-commands queue as the relay published them, and answers on the
 * points-replies queue as Loyalty would (or does not, or answers late, or twice).
 */
export type LoyaltyStandIn = {
  /** Waits for the command of this type for this checkout, takes it off the queue, and returns it with its job id. */
  take<T extends PointsCommand["type"]>(checkoutId: string, type: T, timeoutMs?: number): Promise<Extract<PointsCommand, { type: T }> & { jobId: string }>;
  /** Enqueues the reply under Loyalty's job id, or another (the same reply delivered again, as a redelivery would). */
  reply(reply: PointsReply, options?: { jobId?: string }): Promise<string>;
  /** Waits until the checkout worker has handled (completed) the reply job. */
  handled(jobId: string): Promise<void>;
  close(): Promise<void>;
};

export function openLoyaltyStandIn(): LoyaltyStandIn {
  const commands: RawQueue = openRawQueue(pointsCommandsQueue.name);
  const replies: RawQueue = openRawQueue(pointsRepliesQueue.name);
  return {
    async take(checkoutId, type, timeoutMs = 15_000) {
      const job = await waitUntil(
        `a ${type} for checkout ${checkoutId} on ${pointsCommandsQueue.name}`,
        async () => (await commands.queue.getJobs(["waiting", "prioritized", "delayed"])).find((each) => each.data?.checkoutId === checkoutId && each.data?.type === type),
        { timeoutMs, intervalMs: 25 },
      );
      await job.remove();
      return { ...(pointsCommandSchema.parse(job.data) as Extract<PointsCommand, { type: typeof type }>), jobId: job.id ?? "" };
    },
    async reply(reply, options = {}) {
      const { jobId } = await enqueue(pointsRepliesQueue, "points-reply", reply, { jobId: options.jobId ?? pointsReplyJobId(reply) });
      return jobId;
    },
    async handled(jobId) {
      await waitUntil(`reply job ${jobId} to be handled`, async () => (await replies.queue.getJob(jobId))?.finishedOn !== undefined);
    },
    async close() {
      await Promise.all([commands.close(), replies.close()]);
    },
  };
}

const repliedAt = () => new Date().toISOString();

/** Loyalty's yes: `points` used, worth `discountCents`, from one lot. */
export function pointsRedeemed(command: { checkoutId: string; customerId: string }, points: number, discountCents: number): PointsRedeemedForCheckout {
  const lot = { lotId: `lot-${randomUUID()}`, points, expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString() };
  return { type: "PointsRedeemedForCheckout", checkoutId: command.checkoutId, customerId: command.customerId, points, discountCents, lots: [lot], repliedAt: repliedAt() };
}

export function pointsRefused(command: { checkoutId: string; customerId: string }, reason: string): PointsRedemptionRefused {
  return { type: "PointsRedemptionRefused", checkoutId: command.checkoutId, customerId: command.customerId, reason, repliedAt: repliedAt() };
}

export function pointsRestored(command: { checkoutId: string; customerId: string }, points: number): PointsRestoredForCheckout {
  return { type: "PointsRestoredForCheckout", checkoutId: command.checkoutId, customerId: command.customerId, points, repliedAt: repliedAt() };
}
