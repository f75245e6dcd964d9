import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTcpProxy, type TcpProxy } from "@/server/testing/tcp-proxy";
import { integrationServices } from "@/server/testing/test-databases";

/**
 * The job browser against a Redis that does not answer: a 503 saying so (QueueUnavailableError), never a 500 or a
 * hang, and no audit line for an action that did not happen. The shop's modules are loaded after REDIS_URL points at a
 * frozen proxy in front of the tests' Redis (as in server/queues/redis-timeouts.int.spec.ts).
 */

const target = new URL(integrationServices().redisUrl);
let frozen: TcpProxy;

async function loadShop() {
  const database = await import("@/server/testing/database");
  const suite = await import("@/server/testing/checkout-suite");
  const errors = await import("@/server/api/error-mapping");
  return { ...database, ...suite, ...errors };
}
let shop: Awaited<ReturnType<typeof loadShop>>;

beforeAll(async () => {
  frozen = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379), frozen: true });
  process.env.REDIS_URL = `redis://127.0.0.1:${frozen.port}${target.pathname}`;
  process.env.REDIS_CONNECT_TIMEOUT_MS = "400";
  process.env.REDIS_COMMAND_TIMEOUT_MS = "400";
  shop = await loadShop();
  await shop.truncateShop();
});

afterAll(async () => {
  await shop?.closeCheckoutSuite();
  await frozen?.close();
});

describe("the job browser while Redis is away", () => {
  it("answers 503 with the queue's own message to looks and actions, and audits nothing", async () => {
    const admin = await shop.signUpStaffMember("admin");
    const target = { queue: "points-replies", jobId: "1" };

    for (const response of [
      await admin.client.query("admin.queues.jobs", { queue: "points-replies", state: "failed" }),
      await admin.client.query("admin.queues.job", target),
      await admin.client.mutate("admin.queues.retryJob", target),
      await admin.client.mutate("admin.queues.removeJob", target),
      await admin.client.query("admin.queues.health"),
    ]) {
      expect(response.status).toBe(503);
      expect(response.error().message).toBe(shop.QUEUE_UNAVAILABLE_MESSAGE);
    }
    // An unknown queue is still a 404: it is known without asking Redis.
    expect((await admin.client.query("admin.queues.jobs", { queue: "nope", state: "failed" })).status).toBe(404);
    // The charts read PostgreSQL only: they still answer.
    expect((await admin.client.query("admin.queues.depth")).status).toBe(200);
    expect((await admin.client.query("admin.audit.list")).data()).toEqual([]);
  });
});
