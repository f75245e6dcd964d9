import { registerQueues } from "@/server/queues/define-queue";
import { loyaltyMaintenanceQueue } from "./loyalty-maintenance-queue";
import { pointsCommandsQueue } from "./points-commands-queue";
import { pointsRepliesQueue } from "./points-replies-queue";
import { purchaseEventsQueue } from "./purchase-events-queue";
import { sagaStepQueues } from "./saga-queue";

/**
 * Every queue of the shop, by name: the one place to see which queues exist. Each queue is defined with defineQueue
 * and added here with one line. registerQueues refuses two queues with the same name. The saga steps are one queue per
 * partition (SAGA_QUEUE_PARTITIONS, see saga-queue.ts): the admin's queue pages, depth samples and job browser look
 * queues up here, so every partition shows there as a queue of its own.
 */
export const queues = registerQueues([...sagaStepQueues, purchaseEventsQueue, loyaltyMaintenanceQueue, pointsCommandsQueue, pointsRepliesQueue]);

export type Queues = typeof queues;
