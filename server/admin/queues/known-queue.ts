import type { Queue } from "bullmq";
import { DomainError } from "@/server/errors";
import { getReadyProducerConnection, producerCall } from "@/server/queues/connections";
import { openQueueOn, type QueueDefinition } from "@/server/queues/define-queue";
import { queues } from "@/server/queues/registry";

/** The queue names the job browser knows: exactly the registry's. */
export const QUEUE_NAMES = Object.keys(queues);

/** Whether `name` is one of the shop's queues (the job browser's pages ask before they call). */
export function isQueueName(name: string): boolean {
  return Object.hasOwn(queues, name);
}

/** The registry's definition of a queue, or NOT_FOUND naming the queues there are (never a Redis key made up). */
export function knownQueue(name: string): QueueDefinition {
  if (!isQueueName(name)) {
    throw new DomainError("NOT_FOUND", `There is no queue named "${name}". The queues are: ${QUEUE_NAMES.join(", ")}.`, { field: "queue" });
  }
  return (queues as Record<string, QueueDefinition>)[name]!;
}

/**
 * Runs `work` on a Queue of the shop's, opened on the producer connection and closed after. A Redis that is away or
 * slow fails it with QueueUnavailableError (a 503), like every producer call.
 */
export function withKnownQueue<T>(name: string, work: (queue: Queue) => Promise<T>): Promise<T> {
  const definition = knownQueue(name);
  return producerCall(async () => {
    const queue = openQueueOn(definition, await getReadyProducerConnection());
    try {
      return await work(queue);
    } finally {
      await queue.close();
    }
  });
}
