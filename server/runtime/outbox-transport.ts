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

/**
 * The marker's keys: one beside each queue the outbox publishes to, in that queue's hash slot (the `{…}` tag of its
 * prefix, see queue-prefix.ts). On a Redis Cluster a queue's jobs live on one shard only, and that shard may lose its
 * data on its own (a master lost before its replica had caught up): a marker kept elsewhere would not notice. Outside
 * BullMQ's own keys (`bull:{q}:q:*`), so that obliterating a queue is not mistaken for a loss.
 * Renamed from `unicorn:outbox:redis-marker` with the prefixes: the first relay pass after that upgrade finds no
 * marker and publishes the last week again, which re-fills the queues under their new prefixes (consumers
 * de-duplicate by message id).
 */
export const REDIS_LOSS_MARKER_KEYS = [purchaseEventsQueue.name, pointsCommandsQueue.name].map(
  (queue) => `unicorn:outbox:redis-marker:{${queue}}`,
);

/** The outbox relay's marker in Redis (see republishAfterRedisLoss): present only while every one of its keys is. */
export const outboxRedisLossMarker: RedisLossMarker = {
  async isPresent() {
    return producerCall(async () => {
      const connection = await getReadyProducerConnection();
      // One EXISTS per key: on a cluster the keys are in different slots, which one multi-key EXISTS refuses.
      const found = await Promise.all(REDIS_LOSS_MARKER_KEYS.map((key) => connection.exists(key)));
      return found.every((count) => count === 1);
    });
  },
  async place() {
    await producerCall(async () => {
      const connection = await getReadyProducerConnection();
      const placedAt = new Date().toISOString();
      await Promise.all(REDIS_LOSS_MARKER_KEYS.map((key) => connection.set(key, placedAt)));
    });
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
