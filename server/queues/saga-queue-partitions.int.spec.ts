import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

const PARTITIONS = 3;

await vi.hoisted(async () => {
  const { useCheckoutTestTimings } = await import("@/server/testing/checkout-workers");
  // This process starts the checkouts (the web process of these tests): it must send them where the workers look.
  useCheckoutTestTimings({ SAGA_QUEUE_PARTITIONS: "3" });
});

import { Redis } from "ioredis";
import { readQueueDepths } from "@/server/queues/sample-queue-depth";
import { sagaPartitionOf, sagaStepQueueName } from "@/server/queues/saga-queue";
import { resolveSagaQueuePartitions, sagaStepQueues } from "@/server/queues/saga-queue-partitions";
import { createFundedCustomers, openRawQueue, startAcceptedCheckout, waitForCheckout, waitUntil } from "@/server/testing/checkout-flow";
import { closeCheckoutSuite, openCheckoutSuite } from "@/server/testing/checkout-suite";
import { describeLogs, startCheckoutWorker, type CheckoutWorker } from "@/server/testing/checkout-workers";
import { createTestProduct, signUpStaffMember } from "@/server/testing/database";
import { integrationServices } from "@/server/testing/test-databases";

/**
 * The saga step queue in three partitions (SAGA_QUEUE_PARTITIONS=3), with a real checkout worker process: checkouts
 * spread over every partition and each saga stays on the one of its id (seen in each queue's own event stream, which
 * records every job added); a lost job, even one stranded on a partition that no longer exists (the count lowered),
 * is scheduled again by the sweep on the saga's own partition; the admin's queue pages list every partition.
 */

const NAMES = Array.from({ length: PARTITIONS }, (_, partition) => sagaStepQueueName(partition));
/** A partition a shop of 8 partitions had, which this one of 3 no longer consumes. */
const RETIRED = sagaStepQueueName(7);

let worker: CheckoutWorker;
const startWorker = () => startCheckoutWorker({ name: "partitions", env: { SAGA_QUEUE_PARTITIONS: String(PARTITIONS) } });

/** Every job id added to a queue, in order, read from the queue's event stream (kept by BullMQ, up to 10,000 events). */
async function addedJobIds(name: string): Promise<string[]> {
  const raw = openRawQueue(name);
  const redis = new Redis(integrationServices().redisUrl);
  try {
    // The stream's key as BullMQ names it for this queue (its prefix included, whichever that is).
    const entries = await redis.xrange(raw.queue.keys.events!, "-", "+");
    return entries.flatMap(([, fields]) => {
      const event = new Map(fields.flatMap((value, index) => (index % 2 === 0 ? [[value, fields[index + 1]] as const] : [])));
      const jobId = event.get("jobId");
      return event.get("event") === "added" && jobId ? [jobId] : [];
    });
  } finally {
    redis.disconnect();
    await raw.close();
  }
}

/** The saga id a step job's id begins with (`<sagaId>_<step>_<phase>`). */
const sagaOfJob = (jobId: string) => jobId.slice(0, 36);

beforeAll(async () => {
  await openCheckoutSuite();
  for (const name of [...NAMES, RETIRED]) {
    const raw = openRawQueue(name);
    await raw.queue.obliterate({ force: true });
    await raw.close();
  }
  await createTestProduct({ slug: "classic-unicorn", onHand: 1_000, salePriceCents: 1_000 });
  worker = await startWorker();
});

afterAll(async () => {
  const raw = openRawQueue(RETIRED);
  await raw.queue.obliterate({ force: true });
  await raw.close();
  await closeCheckoutSuite();
});

describe("the saga step queue in 3 partitions", () => {
  it("is three queues in this process, saga-steps first, as SAGA_QUEUE_PARTITIONS says", async () => {
    expect((await sagaStepQueues()).map((queue) => queue.name)).toEqual(["saga-steps", "saga-steps-1", "saga-steps-2"]);
    expect(await resolveSagaQueuePartitions()).toEqual({ partitions: 3, source: "SAGA_QUEUE_PARTITIONS" });
    // And the worker says so as it starts, as every process of a shop does.
    expect(worker.logs.find((line) => line.msg === "Saga step queue partitions resolved")).toMatchObject({ sagaQueuePartitions: 3, source: "SAGA_QUEUE_PARTITIONS" });
  });

  it("completes 30 checkouts with every partition used, and each saga's every job on the partition of its id", async () => {
    const customers = await createFundedCustomers(30, 50_000);
    const checkoutIds = await Promise.all(customers.map((customer) => startAcceptedCheckout(customer.client, { productSlug: "classic-unicorn" })));
    const ends = await Promise.all(checkoutIds.map((id, index) => waitForCheckout(customers[index]!.client, id, { timeoutMs: 30_000 })));
    expect(ends.map((end) => end.status), describeLogs([worker])).toEqual(checkoutIds.map(() => "completed"));

    const added = await Promise.all(NAMES.map(addedJobIds));
    const sagasOn = added.map((ids) => new Set(ids.map(sagaOfJob)));
    for (const [partition, sagas] of sagasOn.entries()) {
      for (const sagaId of sagas) expect(sagaPartitionOf(sagaId, PARTITIONS), `saga ${sagaId} on ${NAMES[partition]}`).toBe(partition);
    }
    // Every checkout is on exactly one partition, and every partition took some (30 random ids: all but certain).
    expect(sagasOn.flatMap((sagas) => [...sagas]).sort()).toEqual([...checkoutIds].sort());
    expect(sagasOn.map((sagas) => sagas.size).every((size) => size > 0), sagasOn.map((sagas) => sagas.size).join(", ")).toBe(true);
    // The worker's BullMQ metrics count each partition's completed jobs: every job added there ran to its end once.
    const completed = await Promise.all(
      NAMES.map(async (name) => {
        const raw = openRawQueue(name);
        try {
          return (await raw.queue.getMetrics("completed")).meta.count;
        } finally {
          await raw.close();
        }
      }),
    );
    expect(completed).toEqual(added.map((ids) => ids.length));
  });

  it("schedules a lost job again on the saga's own partition, also one stranded on a partition this shop no longer has", async () => {
    // Its Workers, one per partition, all close cleanly.
    expect((await worker.stop()).code, describeLogs([worker])).toBe(0);
    const [customer] = await createFundedCustomers(1, 50_000);
    const checkoutId = await startAcceptedCheckout(customer!.client, { productSlug: "classic-unicorn" });
    const home = NAMES[sagaPartitionOf(checkoutId, PARTITIONS)]!;
    // The first job, waiting on the saga's partition, moves to a partition of a time when the shop had 8: lost to us.
    const [first] = (await addedJobIds(home)).filter((jobId) => sagaOfJob(jobId) === checkoutId);
    expect(first).toBeDefined();
    const from = openRawQueue(home);
    const to = openRawQueue(RETIRED);
    try {
      const job = (await from.queue.getJob(first!))!;
      await to.queue.add(job.name, job.data, { jobId: first });
      await job.remove();
    } finally {
      await from.close();
      await to.close();
    }

    worker = await startWorker();
    expect((await waitForCheckout(customer!.client, checkoutId, { timeoutMs: 30_000 })).status, describeLogs([worker])).toBe("completed");

    // The sweep put the step back where the saga belongs, under its own id; no other partition saw this saga.
    expect((await addedJobIds(home)).filter((jobId) => jobId === first).length).toBeGreaterThanOrEqual(2);
    for (const name of NAMES.filter((name) => name !== home)) expect((await addedJobIds(name)).some((jobId) => sagaOfJob(jobId) === checkoutId)).toBe(false);
    // Nobody consumes a partition the shop no longer has: the stranded copy just waits (and would find its step done).
    const retired = openRawQueue(RETIRED);
    try {
      expect(await retired.queue.getJobState(first!)).toBe("waiting");
    } finally {
      await retired.close();
    }
  });

  it("shows every partition on the admin's queue pages: health with its workers, depth, and the job browser", async () => {
    const support = await signUpStaffMember("support");
    const health = await waitUntil("the worker on every partition", async () => {
      const rows = (await support.client.query("admin.queues.health")).data();
      return NAMES.every((name) => (rows.find((row) => row.queue === name)?.workers ?? 0) > 0) && rows;
    });
    expect(health.map((row) => row.queue)).toEqual([...NAMES, "purchase-events", "loyalty-maintenance", "points-commands", "points-replies"]);
    expect((await readQueueDepths()).map((depth) => depth.queue)).toEqual(health.map((row) => row.queue));
    for (const name of NAMES) expect((await support.client.query("admin.queues.jobs", { queue: name, state: "waiting" })).status).toBe(200);
    // A partition this shop does not have is no queue of its.
    const missing = await support.client.query("admin.queues.jobs", { queue: RETIRED, state: "waiting" });
    expect(missing.status).toBe(404);
    expect(missing.error().message).toContain("saga-steps, saga-steps-1, saga-steps-2, purchase-events");
  });
});
