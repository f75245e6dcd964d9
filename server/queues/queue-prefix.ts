/**
 * The key prefix of a queue: `bull:{<queue name>}`. BullMQ names each of a queue's keys `<prefix>:<name>:<part>`
 * (`bull:{saga-steps}:saga-steps:wait`), and its Lua scripts touch several of them at once, which a Redis Cluster only
 * allows when they hash to one slot. The `{…}` is Redis Cluster's hash tag: only what is inside the braces is hashed,
 * so a queue's keys share a slot, and each queue has a tag of its own, so different queues spread over the masters.
 *
 * The same prefix on one Redis as on a cluster (one code path): every Queue, Worker, QueueEvents and FlowProducer
 * the shop opens must be given it (see queueConnectionOptions in define-queue.ts). A FlowProducer spanning queues
 * would need their keys in one slot too: flows across queues are not used here.
 *
 * No imports: the e2e tests and scripts read queues through it without loading the app's environment.
 */
export const BULLMQ_PREFIX = "bull";

export function queuePrefix(queueName: string): string {
  return `${BULLMQ_PREFIX}:{${queueName}}`;
}

/** One of a queue's keys in Redis, e.g. queueKey("saga-steps", "meta") = `bull:{saga-steps}:saga-steps:meta`. */
export function queueKey(queueName: string, part: string): string {
  return `${queuePrefix(queueName)}:${queueName}:${part}`;
}
