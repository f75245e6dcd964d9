import { getReadyProducerConnection, producerCall } from "@/server/queues/connections";
import { enqueue } from "@/server/queues/define-queue";
import { purchaseEventsQueue } from "@/server/queues/purchase-events-queue";
import { purchaseCompletedSchema } from "@/server/retail/checkout/purchase-completed";
import type { OutboxEvent } from "@/server/retail/outbox/relay-outbox";
import type { RedisLossMarker } from "@/server/retail/outbox/republish-after-redis-loss";

/** Where Retail's outbox leaves the process: published events go to Loyalty's queue on Redis. */

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

/** Publishes one outbox event to its queue; the event id is the job id. */
export async function publishOutboxEvent(event: OutboxEvent): Promise<void> {
  if (event.eventType !== "PurchaseCompleted") throw new Error(`No queue for outbox events of type ${event.eventType}`);
  await enqueue(purchaseEventsQueue, "purchase-completed", purchaseCompletedSchema.parse(event.payload), {
    jobId: event.id,
  });
}
