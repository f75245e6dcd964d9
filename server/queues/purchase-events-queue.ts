import { purchaseCompletedSchema } from "@/server/retail/checkout/purchase-completed";
import { defineQueue } from "./define-queue";

/**
 * Retail's published events for the Loyalty context, fed by the outbox relay. Job id = event id, and the consumer
 * de-duplicates on it as well: delivery is at least once.
 */
export const purchaseEventsQueue = defineQueue({
  name: "purchase-events",
  jobs: { "purchase-completed": purchaseCompletedSchema },
  // Finished jobs are kept a day: publishing an event again while its job is kept is a no-op in Redis, and Loyalty's
  // processed-messages table makes any later delivery harmless.
  defaultJobOptions: {
    attempts: 10,
    backoff: { type: "exponential", delay: 1_000 },
    removeOnComplete: { age: 86_400 },
    removeOnFail: { age: 7 * 86_400 },
  },
});
