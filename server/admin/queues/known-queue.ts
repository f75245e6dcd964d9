import type { Queue } from "bullmq";
import { DomainError } from "@/server/errors";
import { getReadyProducerConnection, producerCall } from "@/server/queues/connections";
import { openQueueOn, type QueueDefinition } from "@/server/queues/define-queue";
import { shopQueues } from "@/server/queues/registry";

/** The queue names the job browser knows: exactly the registry's (every saga step partition of this process). */
export async function shopQueueNames(): Promise<string[]> {
  return Object.keys(await shopQueues());
}

/** The registry's definition of a queue, or NOT_FOUND naming the queues there are (never a Redis key made up). */
export async function knownQueue(name: string): Promise<QueueDefinition> {
  const queues: Record<string, QueueDefinition> = await shopQueues();
  if (!Object.hasOwn(queues, name)) {
    throw new DomainError("NOT_FOUND", `There is no queue named "${name}". The queues are: ${Object.keys(queues).join(", ")}.`, { field: "queue" });
  }
  return queues[name]!;
}

/**
 * Runs `work` on a Queue of the shop's, opened on the producer connection and closed after. A Redis that is away or
 * slow fails it with QueueUnavailableError (a 503), like every producer call.
 */
export async function withKnownQueue<T>(name: string, work: (queue: Queue) => Promise<T>): Promise<T> {
  const definition = await knownQueue(name);
  return producerCall(async () => {
    const queue = openQueueOn(definition, await getReadyProducerConnection());
    try {
      return await work(queue);
    } finally {
      await queue.close();
    }
  });
}
