import { Cluster } from "ioredis";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

// The whole file runs on a Redis Cluster of its own (ports 7011–7016), as a production shop given REDIS_CLUSTER_NODES
// would: this process (the "web process" starting checkouts through the API) and the worker processes alike. With
// SAGA_QUEUE_PARTITIONS unset, as a shop would start by default: each process asks the cluster for its masters.
const CLUSTER_FIRST_PORT = 7011;
await vi.hoisted(async () => {
  const { useCheckoutTestTimings } = await import("@/server/testing/checkout-workers");
  useCheckoutTestTimings();
  process.env.REDIS_CLUSTER_NODES = Array.from({ length: 6 }, (_, index) => `127.0.0.1:${7011 + index}`).join(",");
  // REDIS_URL and REDIS_CLUSTER_NODES are refused together (server/env.ts): this file's Redis is the cluster.
  delete process.env.REDIS_URL;
  delete process.env.SAGA_QUEUE_PARTITIONS;
});

import { db } from "@/server/db";
import { takeAttempt } from "@/server/limits/rate-limits";
import { SHARED_METRICS_KEY } from "@/server/metrics/publish-shared-metrics";
import { queueKey } from "@/server/queues/queue-prefix";
import { readQueueHealth } from "@/server/queues/queue-health";
import { sagaStepQueue } from "@/server/queues/saga-queue";
import { resolveSagaQueuePartitions, sagaStepQueues } from "@/server/queues/saga-queue-partitions";
import { closeLiveChanges, watchSaga } from "@/server/runtime/live-changes";
import { REDIS_LOSS_MARKER_KEYS } from "@/server/runtime/outbox-transport";
import { createFundedCustomers, startAcceptedCheckout, startCheckout, waitForSagas, waitUntil } from "@/server/testing/checkout-flow";
import { checkInvariants, snapshotStock } from "@/server/testing/checkout-invariants";
import { closeCheckoutSuite } from "@/server/testing/checkout-suite";
import { describeLogs, startCheckoutWorker, type CheckoutWorker } from "@/server/testing/checkout-workers";
import { createTestProduct, truncateShop } from "@/server/testing/database";
import { startLocalRedisCluster, type LocalRedisCluster } from "@/server/testing/redis-cluster";
import { delayBefore } from "@/server/testing/saga-faults";

/**
 * The shop on a Redis Cluster (3 masters, a replica each, Debian's redis-server started by scripts/cluster/up.sh):
 * real checkouts through the engine and a real checkout worker process, every queue's keys on the slot of its hash
 * tag, the saga steps in one partition per master by default, live changes through pub/sub, the admin's queue health
 * read from the cluster; then the master holding the saga step queue's partition 0 killed with kill -9 while sagas
 * run, its replica promoted, and every saga still finished.
 */

const PRICE = 2_000;
let cluster: LocalRedisCluster;
let worker: CheckoutWorker;
/** The test's own Cluster client, to look at the keys. */
let inspector: Cluster;

beforeAll(async () => {
  cluster = await startLocalRedisCluster({ firstPort: CLUSTER_FIRST_PORT, nodeTimeoutMs: 2_000 });
  expect(cluster.nodes).toBe(process.env.REDIS_CLUSTER_NODES);
  inspector = new Cluster(cluster.ports.map((port) => ({ host: "127.0.0.1", port })));
  // The master killed on purpose is reported here too; the test looks at what matters instead.
  inspector.on("error", () => undefined);
  worker = await startCheckoutWorker({ name: "cluster-worker", env: { REDIS_CLUSTER_NODES: cluster.nodes, REDIS_URL: "", SAGA_QUEUE_PARTITIONS: "" } });
}, 90_000);

// Each test counts the stock sold and the money moved from its own start.
beforeEach(truncateShop);

afterAll(async () => {
  try {
    await closeLiveChanges();
    inspector?.disconnect();
    await closeCheckoutSuite();
  } finally {
    await cluster?.stop();
  }
}, 60_000);

let products = 0;
/** The tests of this file share one shop: each sells a unicorn of its own. */
const uniqueSlug = () => `cluster-unicorn-${(products += 1)}`;

/** `count` shoppers each press "buy" once, all at once; returns the checkouts the shop accepted. */
async function crowdBuys(slug: string, count: number): Promise<string[]> {
  const shoppers = await createFundedCustomers(count, 10 * PRICE);
  const answers = await Promise.all(shoppers.map((shopper) => startCheckout(shopper.client, { productSlug: slug })));
  // Sold out before a saga began is a 409; anything else would be a failure of the shop.
  expect(answers.filter((answer) => answer.status !== 200 && answer.status !== 409).map((answer) => answer.text)).toEqual([]);
  return answers.filter((answer) => answer.status === 200).map((answer) => answer.data().checkoutId);
}

describe("on a Redis Cluster", () => {
  it("spreads the saga steps over one partition per master by default, each partition on a master of its own", async () => {
    expect(await resolveSagaQueuePartitions()).toEqual({ partitions: 3, source: "one per Redis Cluster master", clusterMasters: 3 });
    const queues = await sagaStepQueues();
    expect(queues.map((queue) => queue.name)).toEqual(["saga-steps", "saga-steps-1", "saga-steps-2"]);
    const masters = await Promise.all(queues.map((queue) => cluster.masterOf(queueKey(queue.name, "wait"))));
    expect(new Set(masters.map((master) => master.id)).size).toBe(3);
    // The worker asked the cluster too, and came to the same count (every process of a shop must).
    expect(worker.logs.find((line) => line.msg === "Saga step queue partitions resolved")).toMatchObject({
      sagaQueuePartitions: 3,
      source: "one per Redis Cluster master",
      clusterMasters: 3,
    });
  });

  it("refuses to start a worker when the cluster's masters cannot be read, saying so", { timeout: 30_000 }, async () => {
    // No node listens there: the worker cannot know which queues to consume, so it does not start (a supervisor retries).
    await expect(
      startCheckoutWorker({ name: "no-cluster-worker", env: { REDIS_CLUSTER_NODES: "127.0.0.1:7019", REDIS_URL: "", SAGA_QUEUE_PARTITIONS: "", REDIS_CONNECT_TIMEOUT_MS: "500" } }),
    ).rejects.toThrow(/exited \(exit code 1\) before log line "Worker process started"[\s\S]*SagaQueuePartitionsUnknownError/);
  });

  it("runs checkouts to the end, every queue's keys in its own hash slot, money and stock conserved", { timeout: 60_000 }, async () => {
    const product = await createTestProduct({ slug: uniqueSlug(), onHand: 25, salePriceCents: PRICE });
    const initialStock = await snapshotStock();

    const checkoutIds = await crowdBuys(product.slug, 40);
    await waitForSagas(checkoutIds, { timeoutMs: 40_000 }).catch((error: Error) => {
      throw new Error(`${error.message}\n${describeLogs([worker])}`);
    });

    const summary = await checkInvariants(initialStock);
    expect(summary.violations).toEqual([]);
    expect(summary.unitsSold).toBe(25);
    expect(summary.orders).toBe(25);
    // The queue's metadata lives in the cluster under the hash-tagged prefix (a plain `bull:saga-steps:meta` does not).
    expect(await inspector.exists(queueKey(sagaStepQueue.name, "meta"))).toBe(1);
    expect(await inspector.exists(`bull:${sagaStepQueue.name}:meta`)).toBe(0);
  });

  it("tells a watching page of each change through pub/sub, published on one node and heard on another", { timeout: 30_000 }, async () => {
    const product = await createTestProduct({ slug: uniqueSlug(), onHand: 5, salePriceCents: PRICE });
    const [shopper] = await createFundedCustomers(1, 10 * PRICE);
    // Held at the payment for a moment: the feed is open before the saga's next change.
    await delayBefore({ step: "debit-wallet", remaining: 1, delayMs: 1_500 });
    const checkoutId = await startAcceptedCheckout(shopper!.client, { productSlug: product.slug });
    const feed = await watchSaga(checkoutId);
    try {
      const started = Date.now();
      // "quiet" would mean no message came within 10 s: the page would only learn by asking again.
      expect(await feed.next(10_000)).toBe("changed");
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      feed.close();
    }
    await waitForSagas([checkoutId]);
    expect(await db.sagaInstance.findUniqueOrThrow({ where: { id: checkoutId } })).toMatchObject({ status: "completed" });
  });

  it("gives the admin's queue health from the cluster: every queue, the worker on it, the jobs it finished", async () => {
    const health = await readQueueHealth();
    const partitions = ["saga-steps", "saga-steps-1", "saga-steps-2"];
    expect(health.map((queue) => queue.queue).sort()).toEqual(["loyalty-maintenance", "points-commands", "points-replies", "purchase-events", ...partitions]);
    const sagaSteps = health.filter((queue) => partitions.includes(queue.queue));
    for (const partition of sagaSteps) {
      expect(partition).toMatchObject({ waiting: 0, active: 0, failed: 0 });
      expect(partition.workers, partition.queue).toBeGreaterThanOrEqual(1);
      // The checkouts so far spread over every partition, counted by the worker's BullMQ metrics in each queue's slot.
      expect(partition.completedLastHour, partition.queue).toBeGreaterThanOrEqual(1);
    }
    // 26 checkouts so far, each a step job or more.
    expect(sagaSteps.reduce((sum, partition) => sum + partition.completedLastHour, 0)).toBeGreaterThanOrEqual(26);
  });

  it("keeps the other keys of ours there too: rate-limit counters, the metrics' totals, the outbox's Redis-loss marker", async () => {
    const key = `cluster-test-${Date.now()}`;
    await takeAttempt({ limit: "topUpPerCustomer", key });
    await takeAttempt({ limit: "topUpPerCustomer", key });
    // Counted in Redis (rate-limiter-flexible's keys start with its prefix), not in the in-memory stand-in.
    const counters = await Promise.all(
      inspector.nodes("master").map((node) => node.keys("rate-limit:topUpPerCustomer*")),
    );
    expect(counters.flat()).toHaveLength(1);
    expect(await inspector.get(counters.flat()[0]!)).toBe("2");
    // The worker adds its counts every METRICS_PUBLISH_INTERVAL_MS (5 s); its relay placed the marker at start.
    await waitUntil("the worker's metrics to be published", async () => (await inspector.hlen(SHARED_METRICS_KEY)) > 0, { timeoutMs: 15_000 });
    for (const marker of REDIS_LOSS_MARKER_KEYS) expect(await inspector.exists(marker)).toBe(1);
  });

  // The sagas of partition 0 (saga-steps) lose their master; the others' go on meanwhile.
  it("finishes every saga when the master holding a saga step partition is killed mid-sale and its replica takes over", { timeout: 90_000 }, async () => {
    const product = await createTestProduct({ slug: uniqueSlug(), onHand: 30, salePriceCents: PRICE });
    const initialStock = await snapshotStock();
    const doomed = await cluster.masterOf(queueKey(sagaStepQueue.name, "wait"));
    const replica = (await cluster.topology()).find((node) => node.masterId === doomed.id);
    expect(replica).toBeDefined();
    // Every payment waits a little, so that plenty of sagas are in flight when the master dies.
    await delayBefore({ step: "debit-wallet", delayMs: 300 });

    const checkoutIds = await crowdBuys(product.slug, 40);
    await waitUntil("sagas to be under way", async () => (await db.sagaInstance.count({ where: { status: "completed" } })) >= 3, { timeoutMs: 30_000 });
    const inFlight = await db.sagaInstance.count({ where: { id: { in: checkoutIds }, status: { in: ["running", "compensating"] } } });
    expect(inFlight).toBeGreaterThanOrEqual(5);
    process.kill(cluster.pidOf(doomed.port), "SIGKILL");

    // The replica is promoted once the master has been silent for cluster-node-timeout (2 s) and its peers agree.
    await waitUntil(
      "the replica to take over the saga queue's slot",
      async () => (await cluster.masterOf(queueKey(sagaStepQueue.name, "wait")).catch(() => null))?.id === replica!.id,
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    await waitForSagas(checkoutIds, { timeoutMs: 60_000 }).catch((error: Error) => {
      throw new Error(`${error.message}\n${describeLogs([worker])}`);
    });

    const summary = await checkInvariants(initialStock);
    expect(summary.violations).toEqual([]);
    expect(summary.unitsSold).toBe(30);
    expect(worker.isRunning()).toBe(true);
    // And the shop goes on selling on the promoted replica.
    const [late] = await createFundedCustomers(1, 10 * PRICE);
    const after = await createTestProduct({ slug: uniqueSlug(), onHand: 1, salePriceCents: PRICE });
    const lateId = await startAcceptedCheckout(late!.client, { productSlug: after.slug });
    await waitForSagas([lateId], { timeoutMs: 20_000 });
    expect(await db.sagaInstance.findUniqueOrThrow({ where: { id: lateId } })).toMatchObject({ status: "completed" });
  });
});
