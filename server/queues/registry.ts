import { registerQueues } from "@/server/queues/define-queue";

/**
 * Every queue of the shop, by name: the one place to see which queues exist. Each queue is defined with defineQueue
 * next to the code it serves and added here with one line, e.g. `checkoutQueue,`. There are none yet: the checkout
 * and loyalty queues arrive with their issues. registerQueues refuses two queues with the same name.
 */
export const queues = registerQueues([
  // one line per queue
]);

export type Queues = typeof queues;
