import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { readQueueDepths, sampleQueueDepth } from "@/server/queues/sample-queue-depth";
import { sagaStepQueue } from "@/server/queues/saga-queue";
import { sql, sqlPool } from "@/server/sql";
import { openRawQueue } from "@/server/testing/checkout-flow";
import { closeCheckoutSuite } from "@/server/testing/checkout-suite";
import { truncateShop } from "@/server/testing/database";
import { shopQueueNames } from "./known-queue";
import { queueDepthLastHour } from "./queue-depth-last-hour";
import { stepLatencyLastHour } from "./step-latency";

/** Every queue of the registry (one saga step partition here: one Redis, SAGA_QUEUE_PARTITIONS unset). */
const QUEUE_NAMES = await shopQueueNames();

beforeEach(async () => {
  await truncateShop();
  for (const name of QUEUE_NAMES) {
    const raw = openRawQueue(name);
    await raw.queue.obliterate({ force: true });
    await raw.close();
  }
});
afterAll(closeCheckoutSuite);

const countSamples = async () => (await sqlPool.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM queue_depth_samples`))[0]!.n;

describe("the queue depth sampler", () => {
  it("records waiting + active + delayed per queue once per 15-second slot, prunes after two hours, and the chart reads the last hour", async () => {
    const raw = openRawQueue(sagaStepQueue.name);
    try {
      await raw.queue.add("run-step", { n: 1 });
      await raw.queue.add("run-step", { n: 2 });
      await raw.queue.add("run-step", { n: 3 }, { delay: 60_000 });
    } finally {
      await raw.close();
    }
    const now = new Date("2026-12-06T12:00:07Z");

    const first = await sampleQueueDepth(now);
    // A second checkout worker in the same slot adds nothing.
    const second = await sampleQueueDepth(new Date("2026-12-06T12:00:14Z"));
    await sampleQueueDepth(new Date("2026-12-06T12:00:15Z"));

    expect(first.sampled).toBe(QUEUE_NAMES.length);
    expect(second.sampled).toBe(0);
    expect(await countSamples()).toBe(2 * QUEUE_NAMES.length);
    const slots = await queueDepthLastHour(new Date("2026-12-06T12:01:00Z"));
    expect(slots.map((slot) => slot.at.toISOString())).toEqual(["2026-12-06T12:00:00.000Z", "2026-12-06T12:00:15.000Z"]);
    expect(slots[0]!.depths).toEqual(Object.fromEntries(QUEUE_NAMES.map((name) => [name, name === sagaStepQueue.name ? 3 : 0])));
    // An hour and a bit later the chart no longer shows them; two hours later they are gone.
    expect(await queueDepthLastHour(new Date("2026-12-06T13:00:10Z"))).toHaveLength(1);
    const later = await sampleQueueDepth(new Date("2026-12-06T14:00:10Z"));
    expect(later.pruned).toBe(QUEUE_NAMES.length);
    expect(await countSamples()).toBe(2 * QUEUE_NAMES.length);
  });

  it("reads the depth from Redis queue by queue", async () => {
    expect(await readQueueDepths()).toEqual(QUEUE_NAMES.map((queue) => ({ queue, waiting: 0, active: 0, delayed: 0 })));
  });
});

describe("step latency over the last hour", () => {
  it("gives p50 and p95 of each step and phase from start to finish, leaving out older, unfinished and skipped runs", async () => {
    const now = new Date("2026-12-06T12:00:00Z");
    // 20 sagas: reserve-stock took 1..20 s; debit-wallet 100 ms; each compensated its reserve-stock in 2 s.
    for (let index = 1; index <= 20; index++) {
      const [saga] = await sqlPool.rows<{ id: string }>(sql`
        INSERT INTO saga_instances (saga_type, input, status) VALUES ('checkout', '{}', 'compensated') RETURNING id`);
      const run = (step: string, phase: string, status: string, startedSecondsAgo: number, tookMs: number | null) =>
        sqlPool.count(sql`
          INSERT INTO saga_step_executions (saga_id, step, phase, status, started_at, finished_at)
          VALUES (${saga!.id}::uuid, ${step}, ${phase}, ${status},
                  ${now}::timestamptz - make_interval(secs => ${startedSecondsAgo}::int),
                  ${now}::timestamptz - make_interval(secs => ${startedSecondsAgo}::int) + make_interval(secs => ${tookMs}::float8 / 1000))`);
      await run("reserve-stock", "action", "succeeded", 600, index * 1000);
      await run("debit-wallet", "action", "failed", 500, 100);
      await run("reserve-stock", "compensation", "succeeded", 400, 2000);
      await run("complete-order", "action", "skipped", 300, 0);
      await run("send-receipt", "action", "running", 200, null);
      await run("old-step", "action", "succeeded", 2 * 3600, 5000);
    }

    expect(await stepLatencyLastHour(now)).toEqual([
      { step: "reserve-stock", phase: "action", runs: 20, p50Ms: 10_500, p95Ms: 19_050 },
      { step: "reserve-stock", phase: "compensation", runs: 20, p50Ms: 2000, p95Ms: 2000 },
      { step: "debit-wallet", phase: "action", runs: 20, p50Ms: 100, p95Ms: 100 },
    ]);
  });
});
