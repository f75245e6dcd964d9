import { randomUUID } from "node:crypto";
import { once } from "node:events";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { integrationServices } from "@/server/testing/test-databases";
import { startTcpProxy, type TcpProxy } from "@/server/testing/tcp-proxy";

/**
 * Every Redis call is bounded (REDIS_CONNECT_TIMEOUT_MS, REDIS_COMMAND_TIMEOUT_MS): against a Redis that does not
 * answer, a producer call fails with the shop's QueueUnavailableError within the timeout instead of hanging, while a
 * worker's blocking fetch is never cut short by them. The shop's modules are loaded after REDIS_URL points at a proxy
 * (server/testing/tcp-proxy.ts) in front of the tests' own Redis, which the tests freeze: real bytes, no mocks.
 */

const TIMEOUT_MS = 400;
/** What a bounded call may take beyond its timeout on a busy 2-core machine. */
const SLACK_MS = 1_500;

const target = new URL(integrationServices().redisUrl);
let proxy: TcpProxy;
let silent: TcpProxy;
let shop: Awaited<ReturnType<typeof loadShop>>;

const probes = defineProbes();

async function loadShop() {
  const connections = await import("@/server/queues/connections");
  const queues = await import("@/server/queues/define-queue");
  const workers = await import("@/server/queues/create-queue-worker");
  const unavailable = await import("@/server/queues/queue-unavailable");
  const live = await import("@/server/live/change-subscriber");
  const liveUnavailable = await import("@/server/live/live-changes-unavailable");
  return { ...connections, ...queues, ...workers, ...unavailable, ...live, ...liveUnavailable };
}

function defineProbes() {
  // A queue of this run's own: the tests' Redis database is shared by every integration test file.
  return { name: `test-redis-timeouts-${randomUUID()}`, jobs: { ping: z.object({ n: z.number().int() }) } };
}

function urlThrough(port: number): string {
  return `redis://127.0.0.1:${port}${target.pathname}`;
}

/** How long `call` took to fail, and with what. */
async function failureOf(call: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  try {
    await call();
  } catch (error) {
    return { error, ms: performance.now() - started };
  }
  throw new Error("expected the call to fail");
}

beforeAll(async () => {
  proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
  silent = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379), frozen: true });
  process.env.REDIS_URL = urlThrough(proxy.port);
  process.env.REDIS_CONNECT_TIMEOUT_MS = String(TIMEOUT_MS);
  process.env.REDIS_COMMAND_TIMEOUT_MS = String(TIMEOUT_MS);
  shop = await loadShop();
});

afterAll(async () => {
  proxy.thaw();
  await shop?.closeQueues();
  await shop?.closeProducerConnection();
  await Promise.all([proxy?.close(), silent?.close()]);
});

describe("Redis timeouts", () => {
  it("fails a producer call with QueueUnavailableError, not a hang, when a connected Redis stops answering", async () => {
    const probeQueue = shop.defineQueue(probes);
    await shop.enqueue(probeQueue, "ping", { n: 1 });

    proxy.freeze();
    const { error, ms } = await failureOf(() => shop.enqueue(probeQueue, "ping", { n: 2 }));
    expect(error).toBeInstanceOf(shop.QueueUnavailableError);
    expect((error as Error).message).toMatch(/did not answer: Command timed out/);
    expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);

    // Once Redis answers again, so does the same connection.
    proxy.thaw();
    await expect(shop.enqueue(probeQueue, "ping", { n: 3 })).resolves.toMatchObject({ jobId: expect.any(String) });
  });

  it("fails a producer call within the connect timeout when Redis accepts the connection and never says a word", async () => {
    await shop.closeQueues();
    await shop.closeProducerConnection();
    const configured = process.env.REDIS_URL;
    try {
      process.env.REDIS_URL = urlThrough(silent.port);
      // The env was read when the modules loaded: a fresh copy of them reads the silent address.
      vi.resetModules();
      const fresh = await loadShop();
      const { error, ms } = await failureOf(() => fresh.enqueue(fresh.defineQueue(probes), "ping", { n: 1 }));
      expect(error).toBeInstanceOf(fresh.QueueUnavailableError);
      expect(ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);
      await fresh.closeQueues();
      await fresh.closeProducerConnection();
    } finally {
      process.env.REDIS_URL = configured;
    }
  });

  it("fails a live-changes watch within the timeouts when Redis never answers the SUBSCRIBE", async () => {
    const subscriber = shop.createChangeSubscriber({
      redisUrl: urlThrough(silent.port),
      connectionName: "test-silent-subscriber",
      connectTimeoutMs: TIMEOUT_MS,
      commandTimeoutMs: TIMEOUT_MS,
    });
    const { error, ms } = await failureOf(() => subscriber.watch(`test:${randomUUID()}`));
    expect(error).toBeInstanceOf(shop.LiveChangesUnavailable);
    expect(ms).toBeLessThan(2 * TIMEOUT_MS + SLACK_MS);
    await subscriber.close();
  });

  it("never cuts a worker's blocking fetch short: an idle worker outlives the command timeout and still takes jobs", async () => {
    // One Redis here (REDIS_URL): the connection is a plain ioredis Redis.
    const connection = shop.createWorkerConnection() as Redis;
    connection.disconnect();
    expect(connection.options.connectTimeout).toBe(TIMEOUT_MS);
    expect(connection.options.commandTimeout).toBeUndefined();

    const probeQueue = shop.defineQueue(probes);
    const errors: unknown[] = [];
    const worker = shop.createQueueWorker(probeQueue, { ping: async ({ n }) => n }, { drainDelay: 2 });
    worker.on("error", (error) => errors.push(error));
    try {
      await worker.waitUntilReady();
      // Idle for several command timeouts: BZPOPMIN blocks for 2 s (drainDelay) at a time.
      await new Promise((resolve) => setTimeout(resolve, 6 * TIMEOUT_MS));
      const completed = once(worker, "completed");
      await shop.enqueue(probeQueue, "ping", { n: 7 });
      const [, result] = await completed;
      expect(result).toBe(7);
      expect(errors).toEqual([]);
    } finally {
      await worker.close();
    }
  });
});
