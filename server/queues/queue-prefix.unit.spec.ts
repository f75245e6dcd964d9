import { describe, expect, it } from "vitest";
import { registerShopQueues } from "./registry";
import { queueKey, queuePrefix } from "./queue-prefix";
import { MAX_SAGA_QUEUE_PARTITIONS, sagaStepQueuesFor } from "./saga-queue";
import { REDIS_LOSS_MARKER_KEYS } from "@/server/runtime/outbox-transport";

/**
 * What a Redis Cluster hashes of a key (its hash tag): what is between the first `{` and the first `}` after it, when
 * that is not empty; else the whole key. Keys with the same tag are in the same slot.
 */
function hashTagOf(key: string): string {
  const open = key.indexOf("{");
  const close = open < 0 ? -1 : key.indexOf("}", open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : key;
}

/** The shop's queues with as many saga step partitions as there can be. */
const queues = registerShopQueues(sagaStepQueuesFor(MAX_SAGA_QUEUE_PARTITIONS));

// A few of the keys BullMQ keeps for a queue (its scripts take many of them at once).
const BULLMQ_PARTS = ["wait", "active", "delayed", "prioritized", "completed", "failed", "meta", "id", "events", "stalled", "marker", "metrics:completed", "some-job-id", "some-job-id:lock"];

describe("queue prefixes", () => {
  it("put every key of a queue in one slot, the queue's own", () => {
    for (const name of Object.keys(queues)) {
      const tags = new Set(BULLMQ_PARTS.map((part) => hashTagOf(queueKey(name, part))));
      expect([...tags]).toEqual([name]);
    }
  });

  it("give each queue a tag of its own, so that the queues spread over a cluster's masters", () => {
    const tags = Object.keys(queues).map((name) => hashTagOf(queueKey(name, "wait")));
    expect(new Set(tags).size).toBe(Object.keys(queues).length);
  });

  it("are BullMQ's `bull` with the queue's name as the tag, the same on one Redis as on a cluster", () => {
    expect(queuePrefix("saga-steps")).toBe("bull:{saga-steps}");
    expect(queueKey("saga-steps", "meta")).toBe("bull:{saga-steps}:saga-steps:meta");
  });

  it("keep the outbox's Redis-loss marker beside each queue it publishes to, outside BullMQ's keys", () => {
    expect(REDIS_LOSS_MARKER_KEYS.map(hashTagOf).sort()).toEqual(["points-commands", "purchase-events"]);
    for (const key of REDIS_LOSS_MARKER_KEYS) expect(key.startsWith("bull:")).toBe(false);
  });
});
