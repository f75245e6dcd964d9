import { registerQueues } from "@/server/queues/define-queue";
import { loyaltyMaintenanceQueue } from "./loyalty-maintenance-queue";
import { pointsCommandsQueue } from "./points-commands-queue";
import { pointsRepliesQueue } from "./points-replies-queue";
import { purchaseEventsQueue } from "./purchase-events-queue";
import type { SagaStepQueue } from "./saga-queue";
import { sagaStepQueues } from "./saga-queue-partitions";

/**
 * Every queue of the shop, by name: the one place to see which queues exist. Each queue is defined with defineQueue
 * and added here with one line. registerQueues refuses two queues with the same name. The saga steps are one queue per
 * partition, as many as this process resolved (saga-queue-partitions.ts): the admin's queue pages, depth samples,
 * job browser and /api/metrics look queues up here, so every partition shows there as a queue of its own.
 */
export function registerShopQueues(stepQueues: readonly SagaStepQueue[]) {
  return registerQueues([...stepQueues, purchaseEventsQueue, loyaltyMaintenanceQueue, pointsCommandsQueue, pointsRepliesQueue]);
}

export type Queues = ReturnType<typeof registerShopQueues>;

let registry: { stepQueues: readonly SagaStepQueue[]; queues: Queues } | undefined;

/** This process's queues, once its saga step partitions are resolved (the first call may ask the Redis Cluster). */
export async function shopQueues(): Promise<Queues> {
  const stepQueues = await sagaStepQueues();
  if (registry?.stepQueues !== stepQueues) registry = { stepQueues, queues: registerShopQueues(stepQueues) };
  return registry.queues;
}
