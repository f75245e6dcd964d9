import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseJobPayload } from "./define-queue";
import {
  concurrencyPerPartition,
  MAX_SAGA_QUEUE_PARTITIONS,
  sagaPartitionOf,
  sagaQueuePartitionCount,
  sagaStepQueue,
  sagaStepQueueName,
  sagaStepQueueOf,
  sagaStepQueuesFor,
} from "./saga-queue";

describe("the saga step queue", () => {
  it("reads a saga id in lower case, as PostgreSQL writes it, so a batch finds the saga's row", () => {
    const payload = parseJobPayload(sagaStepQueue, "run-step", {
      sagaId: "5A3C8E2E-1B7B-4C5E-9F1A-2B3C4D5E6F70",
      sagaType: "checkout",
      step: "reserve-stock",
      phase: "action",
    });

    expect(payload.sagaId).toBe("5a3c8e2e-1b7b-4c5e-9f1a-2b3c4d5e6f70");
  });

  it("is one queue, saga-steps, on one Redis by default: exactly the queue there was before partitions", () => {
    expect(sagaQueuePartitionCount({ SAGA_QUEUE_PARTITIONS: undefined })).toBe(1);
    expect(sagaQueuePartitionCount({ SAGA_QUEUE_PARTITIONS: 4 })).toBe(4);
    expect(sagaStepQueuesFor(1).map((queue) => queue.name)).toEqual(["saga-steps"]);
    expect(sagaStepQueueOf(randomUUID(), sagaStepQueuesFor(1))).toBe(sagaStepQueue);
    expect(sagaStepQueue.defaultJobOptions).toMatchObject({ removeOnComplete: true, removeOnFail: true });
  });

  it("is one partition per master on a Redis Cluster by default, at most 32, and what SAGA_QUEUE_PARTITIONS says if set", () => {
    expect(sagaQueuePartitionCount({ SAGA_QUEUE_PARTITIONS: undefined, clusterMasters: 3 })).toBe(3);
    expect(sagaQueuePartitionCount({ SAGA_QUEUE_PARTITIONS: undefined, clusterMasters: 1 })).toBe(1);
    expect(sagaQueuePartitionCount({ SAGA_QUEUE_PARTITIONS: undefined, clusterMasters: 40 })).toBe(MAX_SAGA_QUEUE_PARTITIONS);
    // Pinned wins: the way to keep every process's count when masters are added.
    expect(sagaQueuePartitionCount({ SAGA_QUEUE_PARTITIONS: 2, clusterMasters: 6 })).toBe(2);
    expect(() => sagaQueuePartitionCount({ SAGA_QUEUE_PARTITIONS: undefined, clusterMasters: 0 })).toThrow(RangeError);
  });

  it("keeps the same definitions for the same partitions whatever the count, partition 0 always saga-steps", () => {
    const three = sagaStepQueuesFor(3);
    expect(three.map((queue) => queue.name)).toEqual(["saga-steps", "saga-steps-1", "saga-steps-2"]);
    expect(sagaStepQueuesFor(3)).toBe(three);
    expect(sagaStepQueuesFor(5).slice(0, 3)).toEqual(three);
    expect(three[0]).toBe(sagaStepQueue);
    const id = randomUUID();
    expect(sagaStepQueueOf(id, three)).toBe(three[sagaPartitionOf(id, 3)]);
    expect(() => sagaStepQueuesFor(0)).toThrow(RangeError);
    expect(() => sagaStepQueuesFor(MAX_SAGA_QUEUE_PARTITIONS + 1)).toThrow(RangeError);
  });

  it("names partition 0 saga-steps and the others saga-steps-<n>", () => {
    expect([0, 1, 2, 11].map(sagaStepQueueName)).toEqual(["saga-steps", "saga-steps-1", "saga-steps-2", "saga-steps-11"]);
  });
});

describe("the partition of a saga", () => {
  const id = "5a3c8e2e-1b7b-4c5e-9f1a-2b3c4d5e6f70";

  it("is stable: the same for the same id, in any case, in every process (fixed values, so a changed hash fails)", () => {
    expect(sagaPartitionOf(id, 1)).toBe(0);
    expect(sagaPartitionOf(id.toUpperCase(), 3)).toBe(sagaPartitionOf(id, 3));
    expect([2, 3, 4, 7, 16].map((partitions) => sagaPartitionOf(id, partitions))).toEqual(
      [2, 3, 4, 7, 16].map((partitions) => fnv1a(id) % partitions),
    );
    // Pinned: every process of a running shop must keep sending a saga where the others look for it.
    expect(["00000000-0000-4000-8000-000000000000", id, "ffffffff-ffff-4fff-bfff-ffffffffffff"].map((sagaId) => sagaPartitionOf(sagaId, 3))).toEqual(
      PINNED_3,
    );
  });

  it("spreads random ids and sequential ones evenly over the partitions", () => {
    for (const partitions of [2, 3, 5, 8]) {
      for (const ids of [Array.from({ length: 24_000 }, () => randomUUID()), Array.from({ length: 24_000 }, (_, n) => sequentialId(n))]) {
        const counts = new Array<number>(partitions).fill(0);
        for (const sagaId of ids) counts[sagaPartitionOf(sagaId, partitions)]! += 1;
        const expected = ids.length / partitions;
        // ±6 %: over six standard deviations for random ids at these sizes, so this never fails by chance.
        for (const count of counts) expect(Math.abs(count - expected) / expected, `${partitions} partitions: ${counts.join(", ")}`).toBeLessThan(0.06);
      }
    }
  });

  it("refuses a partition count below 1 or not whole", () => {
    expect(() => sagaPartitionOf(id, 0)).toThrow(RangeError);
    expect(() => sagaPartitionOf(id, 1.5)).toThrow(RangeError);
  });
});

describe("a checkout worker's concurrency per partition", () => {
  it("shares the process's total out, at least 1 each", () => {
    expect(concurrencyPerPartition(48, 1)).toBe(48);
    expect(concurrencyPerPartition(48, 3)).toBe(16);
    expect(concurrencyPerPartition(48, 5)).toBe(10);
    expect(concurrencyPerPartition(2, 8)).toBe(1);
  });
});

/** FNV-1a, 32 bit, written out again here: the test's own account of the hash the partitions rest on. */
function fnv1a(text: string): number {
  let hash = 2166136261;
  for (const char of text) hash = Number((BigInt(hash ^ char.charCodeAt(0)) * 16777619n) % 2n ** 32n);
  return hash;
}

/** Ids that differ only in their last digits, as time-ordered ones made close together do. */
function sequentialId(n: number): string {
  return `018f3a2b-7c00-7000-8000-${n.toString(16).padStart(12, "0")}`;
}

const PINNED_3 = [1, 0, 2];
