import { pointsCommandSchema } from "@/server/contracts/checkout-points-messages";
import { getReadyProducerConnection, producerCall } from "@/server/queues/connections";
import { enqueue } from "@/server/queues/define-queue";
import { pointsCommandsQueue } from "@/server/queues/points-commands-queue";
import { purchaseEventsQueue } from "@/server/queues/purchase-events-queue";
import { purchaseCompletedSchema } from "@/server/retail/checkout/purchase-completed";
import type { OutboxEvent } from "@/server/retail/outbox/relay-outbox";
import type { RedisLossMarker } from "@/server/retail/outbox/republish-after-redis-loss";

/**
 * Where Retail's outbox leaves the process: published events go to Loyalty's purchase queue, the checkout saga's
 * points commands to Loyalty's command queue.
 */

const REDIS_LOSS_MARKER_KEY = "unicorn:outbox:redis-marker";

/** The outbox relay's marker in Redis (see republishAfterRedisLoss). */
export const outboxRedisLossMarker: RedisLossMarker = {
  async isPresent() {
    return producerCall(async () => (await (await getReadyProducerConnection()).exists(REDIS_LOSS_MARKER_KEY)) === 1);
  },
  async place() {
    await producerCall(async () => (await getReadyProducerConnection()).set(REDIS_LOSS_MARKER_KEY, new Date().toISOString()));
  },
};

const wakeListeners = new Set<() => void>();

/**
 * Wakes this process's outbox relay (the checkout worker listens) as soon as a saga step has sent a message it waits
 * on: the wait is a shopper's, and the relay's poll would add up to OUTBOX_RELAY_INTERVAL_MS to it.
 */
export const outboxWakeUp = {
  listen(listener: () => void): void {
    wakeListeners.add(listener);
  },
  fire(): void {
    for (const listener of wakeListeners) listener();
  },
};

/** Publishes one outbox message to its queue; the message id is the job id. */
export async function publishOutboxEvent(event: OutboxEvent): Promise<void> {
  const options = { jobId: event.id };
  switch (event.eventType) {
    case "PurchaseCompleted":
      await enqueue(purchaseEventsQueue, "purchase-completed", purchaseCompletedSchema.parse(event.payload), options);
      return;
    case "RedeemPointsForCheckout":
    case "RestorePointsForCheckout":
      await enqueue(pointsCommandsQueue, "points-command", pointsCommandSchema.parse(event.payload), options);
      return;
    default:
      throw new Error(`No queue for outbox events of type ${event.eventType}`);
  }
}
