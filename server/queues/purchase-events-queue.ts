import { purchaseCompletedSchema } from "@/server/retail/checkout/purchase-completed";
import { defineQueue } from "./define-queue";

/**
 * Retail's published events for the Loyalty context, fed by the outbox relay. Job id = event id, and the consumer
 * de-duplicates on it as well: delivery is at least once.
 */
export const purchaseEventsQueue = defineQueue({
  name: "purchase-events",
  jobs: { "purchase-completed": purchaseCompletedSchema },
  defaultJobOptions: { attempts: 10, backoff: { type: "exponential", delay: 1_000 } },
});
