import { registerQueues } from "@/server/queues/define-queue";
import { loyaltyMaintenanceQueue } from "./loyalty-maintenance-queue";
import { pointsCommandsQueue } from "./points-commands-queue";
import { pointsRepliesQueue } from "./points-replies-queue";
import { purchaseEventsQueue } from "./purchase-events-queue";
import { sagaStepQueue } from "./saga-queue";

/**
 * Every queue of the shop, by name: the one place to see which queues exist. Each queue is defined with defineQueue
 * and added here with one line. registerQueues refuses two queues with the same name.
 */
export const queues = registerQueues([sagaStepQueue, purchaseEventsQueue, loyaltyMaintenanceQueue, pointsCommandsQueue, pointsRepliesQueue]);

export type Queues = typeof queues;
