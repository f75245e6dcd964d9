import { env } from "@/server/env";
import { checkoutSaga } from "@/server/retail/checkout/checkout-saga";
import { purchaseCompletedSchema } from "@/server/retail/checkout/purchase-completed";
import type { OutboxEvent } from "@/server/retail/outbox/relay-outbox";
import type { RedisLossMarker } from "@/server/retail/outbox/republish-after-redis-loss";
import { createSagaEngine } from "@/server/saga/saga-engine";
import { getReadyProducerConnection } from "./connections";
import { enqueue } from "./define-queue";
import { purchaseEventsQueue } from "./purchase-events-queue";
import { bullmqSagaScheduler } from "./saga-queue";

/**
 * Where the checkout's parts meet their transport: the saga engine with the checkout saga, scheduling on BullMQ, and
 * the outbox's way out to the Loyalty context. Used by the web process (to start checkouts) and the checkout worker.
 */
export const sagaEngine = createSagaEngine({
  sagas: [checkoutSaga({ reservationTtlMs: env.RESERVATION_TTL_SECONDS * 1_000 })],
  scheduler: bullmqSagaScheduler,
  recoverAfterMs: env.SAGA_RECOVER_AFTER_MS,
  faultsEnabled: env.SHOP_MODE !== "normal",
});

const REDIS_LOSS_MARKER_KEY = "unicorn:outbox:redis-marker";

/** The outbox relay's marker in Redis (see republishAfterRedisLoss). */
export const outboxRedisLossMarker: RedisLossMarker = {
  async isPresent() {
    return (await (await getReadyProducerConnection()).exists(REDIS_LOSS_MARKER_KEY)) === 1;
  },
  async place() {
    await (await getReadyProducerConnection()).set(REDIS_LOSS_MARKER_KEY, new Date().toISOString());
  },
};

/** Publishes one outbox event to its queue; the event id is the job id. */
export async function publishOutboxEvent(event: OutboxEvent): Promise<void> {
  if (event.eventType !== "PurchaseCompleted") throw new Error(`No queue for outbox events of type ${event.eventType}`);
  await enqueue(purchaseEventsQueue, "purchase-completed", purchaseCompletedSchema.parse(event.payload), {
    jobId: event.id,
  });
}
