import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

await vi.hoisted(async () => {
  const { useCheckoutTestTimings } = await import("@/server/testing/checkout-workers");
  useCheckoutTestTimings();
});

import { randomUUID } from "node:crypto";
import { db } from "@/server/db";
import { liveChannel } from "@/server/live/live-channel";
import { encodeChangeMessage } from "@/server/live/change-message";
import { closeLiveChanges } from "@/server/runtime/live-changes";
import { subscribe, type ApiStream, type StreamEvent } from "@/server/testing/api-stream";
import {
  fundedCustomer,
  startAcceptedCheckout,
  stepExecution,
  waitUntil,
  type CheckoutStatusView,
} from "@/server/testing/checkout-flow";
import { closeCheckoutSuite, openCheckoutSuite } from "@/server/testing/checkout-suite";
import { describeLogs, logsAtLeast, startCheckoutWorkers, type CheckoutWorker } from "@/server/testing/checkout-workers";
import { createTestProduct, truncateShop } from "@/server/testing/database";
import { createApiClient } from "@/server/testing/api-client";
import { delayBefore } from "@/server/testing/saga-faults";
import { integrationServices } from "@/server/testing/test-databases";

/**
 * checkout.onStatus, the checkout page's live progress: driven through the real HTTP API (tRPC's fetch adapter, SSE)
 * while real worker processes run the saga, and fed by real Redis pub/sub. What the stream says must always be what
 * PostgreSQL says: messages on the saga's channel only make the web process read again.
 */

type Status = CheckoutStatusView;

let workers: CheckoutWorker[];
/** A Redis connection of the test's own: to publish stray messages and to look at who is subscribed. */
let redis: Redis;
const streams: ApiStream<Status>[] = [];

beforeAll(async () => {
  await openCheckoutSuite();
  redis = new Redis(integrationServices().redisUrl);
  workers = await startCheckoutWorkers(1, { name: "live-status" });
});

afterAll(async () => {
  await closeLiveChanges();
  redis.disconnect();
  await closeCheckoutSuite();
});

beforeEach(async () => {
  await truncateShop();
  await createTestProduct({ slug: "classic-unicorn", onHand: 5, salePriceCents: 12_000 });
});

afterEach(async () => {
  await Promise.all(streams.splice(0).map((stream) => stream.close()));
  // The next test empties the shop: no step of this one's checkouts may still be on its way.
  await waitUntil("every checkout to finish", async () => (await db.sagaInstance.count({ where: { status: { in: ["running", "compensating"] } } })) === 0);
  expect(logsAtLeast(workers, 40), describeLogs(workers)).toEqual([]);
});

async function follow(client: ReturnType<typeof createApiClient>, checkoutId: string, headers?: Record<string, string>) {
  const stream = await subscribe(client, "checkout.onStatus", { checkoutId }, { headers });
  streams.push(stream);
  return stream;
}

function dataOf(event: StreamEvent<Status> | null): { id?: string; data: Status } {
  if (event?.type !== "data") throw new Error(`Expected a status, got ${JSON.stringify(event)}`);
  return event;
}

/**
 * Ada's checkout, held still at its first step for `delayMs`: its attempt is counted (the last change before the
 * delay), and nothing changes until the delay is over.
 */
async function heldCheckout(delayMs: number) {
  const ada = await fundedCustomer(50_000, "Ada");
  await delayBefore({ step: "reserve-stock", delayMs, remaining: 1 });
  const checkoutId = await startAcceptedCheckout(ada.client, { productSlug: "classic-unicorn" });
  await waitUntil("the reserve-stock attempt to be counted", () => stepExecution(checkoutId, "reserve-stock"));
  return { ada, checkoutId };
}

/** The stream's opening: connected, then the status at once. */
async function opening(stream: ApiStream<Status>): Promise<{ id?: string; data: Status }> {
  expect(await stream.next()).toEqual({ type: "connected" });
  return dataOf(await stream.next(2_000));
}

const succeededActions = (status: Status) => status.steps.filter((step) => step.phase === "action" && step.status === "succeeded").length;

/** Who listens on the saga's channel, as Redis counts them (one per process, however many streams it serves). */
async function subscribersOf(checkoutId: string): Promise<number> {
  const [, count] = (await redis.pubsub("NUMSUB", liveChannel("saga", checkoutId))) as [string, number];
  return count;
}

describe("following a checkout live", () => {
  it("hears the first status at once, then each change as the workers commit it, and ends at the final state", async () => {
    const ada = await fundedCustomer(50_000, "Ada");
    // Each step waits a moment first, so that each commit is its own change to hear.
    await delayBefore({ step: "reserve-stock", delayMs: 600, remaining: 1 });
    await delayBefore({ step: "debit-wallet", delayMs: 300, remaining: 1 });
    await delayBefore({ step: "complete-order", delayMs: 300, remaining: 1 });
    const checkoutId = await startAcceptedCheckout(ada.client, { productSlug: "classic-unicorn" });

    const stream = await follow(ada.client, checkoutId);
    expect(stream.contentType).toBe("text/event-stream");
    const first = await opening(stream);
    expect(first.data).toMatchObject({ checkoutId, status: "running", productName: "Classic Unicorn", amountCents: 12_000 });
    expect(succeededActions(first.data)).toBe(0);

    const rest = await stream.rest(15_000);
    expect(rest.at(-1), describeLogs(workers)).toEqual({ type: "return" });
    const statuses = rest.slice(0, -1).map((event) => dataOf(event).data);
    // Every commit was heard: one step done, two, then all three and completed; never a step undone.
    const progress = [first.data, ...statuses].map(succeededActions);
    expect(progress).toEqual([...progress].sort());
    expect(new Set(progress)).toEqual(new Set([0, 1, 2, 3]));
    const last = statuses.at(-1)!;
    expect(last).toMatchObject({ status: "completed", orderId: expect.any(String) });
    // The last word is PostgreSQL's, exactly as checkout.status says it.
    expect(last).toEqual((await ada.client.query("checkout.status", { checkoutId })).data());
    // No status sent twice: each event is a change.
    const ids = [first, ...rest.slice(0, -1).map(dataOf)].map((event) => event.id);
    expect(new Set(ids).size).toBe(ids.length);
    await waitUntil("the channel to be unsubscribed", async () => (await subscribersOf(checkoutId)) === 0);
  });

  it("ends at once with the finished status when the checkout is already over", async () => {
    const ada = await fundedCustomer(50_000, "Ada");
    const checkoutId = await startAcceptedCheckout(ada.client, { productSlug: "classic-unicorn" });
    await waitUntil("the checkout to finish", async () => {
      const status = (await ada.client.query("checkout.status", { checkoutId })).data();
      return status.status === "completed";
    });

    const stream = await follow(ada.client, checkoutId);
    const events = await stream.rest();
    expect(events.map((event) => event.type)).toEqual(["connected", "data", "return"]);
    expect(dataOf(events[1]!).data.status).toBe("completed");
  });
});

describe("who may follow a checkout", () => {
  it("answers someone else's checkout, and an unknown one, with checkout.status's NOT_FOUND and no event", async () => {
    const { checkoutId } = await heldCheckout(1_000);
    const grace = await fundedCustomer(50_000, "Grace");
    const asStatus = (await grace.client.query("checkout.status", { checkoutId })).error();

    for (const id of [checkoutId, randomUUID()]) {
      const events = await (await follow(grace.client, id)).rest();
      expect(events.map((event) => event.type)).toEqual(["connected", "error"]);
      const error = events[1]?.type === "error" ? events[1].error : undefined;
      expect(error).toMatchObject({ message: asStatus.message, data: { code: "NOT_FOUND", httpStatus: 404, domainCode: "NOT_FOUND" } });
    }
    expect(await subscribersOf(checkoutId)).toBe(0);
  });

  it("refuses a visitor who is not signed in with UNAUTHORIZED", async () => {
    const ada = await fundedCustomer(50_000, "Ada");
    const checkoutId = await startAcceptedCheckout(ada.client, { productSlug: "classic-unicorn" });

    const events = await (await follow(createApiClient(), checkoutId)).rest();
    expect(events.map((event) => event.type)).toEqual(["connected", "error"]);
    expect(events[1]).toMatchObject({ error: { message: "Please sign in to continue.", data: { code: "UNAUTHORIZED", httpStatus: 401 } } });
  });

  it("refuses a malformed checkout id as checkout.status does", async () => {
    const ada = await fundedCustomer(50_000, "Ada");
    const events = await (await follow(ada.client, "not-a-checkout")).rest();
    expect(events[1]).toMatchObject({ type: "error", error: { message: "That is not a checkout reference.", data: { code: "BAD_REQUEST" } } });
  });
});

describe("messages are only a signal", () => {
  it("sends nothing for a message about a status that did not change, or a repeated one, and never a wrong state", async () => {
    const { ada, checkoutId } = await heldCheckout(2_000);
    const stream = await follow(ada.client, checkoutId);
    const first = await opening(stream);

    // Stray messages on the channel while nothing changes: a valid one three times, and one that is not ours.
    const channel = liveChannel("saga", checkoutId);
    const stray = () => redis.publish(channel, encodeChangeMessage({ committedAt: Date.now() }));
    for (let i = 0; i < 3; i += 1) await stray();
    await redis.publish(channel, "not a message of ours");
    // None of them sends the status again: what comes before the reservation succeeds can only be a real change (on
    // a busy machine the worker's attempt may commit meanwhile), never the opening status repeated.
    const meanwhile: { id?: string; data: Status }[] = [];
    let reserved = dataOf(await stream.next(5_000));
    while (succeededActions(reserved.data) === 0) {
      meanwhile.push(reserved);
      reserved = dataOf(await stream.next(5_000));
    }
    expect(meanwhile.map((event) => event.id)).not.toContain(first.id);

    // Then the real change arrives; repeated messages in the middle of the saga change nothing either.
    expect(reserved.data.steps.find((step) => step.step === "reserve-stock")).toMatchObject({ status: "succeeded" });
    await Promise.all([stray(), stray()]);
    const events = [first, ...meanwhile, reserved, ...(await stream.rest(10_000)).slice(0, -1).map(dataOf)];
    expect(new Set(events.map((event) => event.id)).size).toBe(events.length);
    const progress = events.map((event) => succeededActions(event.data));
    expect(progress).toEqual([...progress].sort());
    expect(events.at(-1)?.data).toEqual((await ada.client.query("checkout.status", { checkoutId })).data());
    expect(events.at(-1)?.data.status).toBe("completed");
  });

  it("resumes after a reconnect without sending again the status the follower already has", async () => {
    const { ada, checkoutId } = await heldCheckout(1_500);
    const before = await follow(ada.client, checkoutId);
    const seen = await opening(before);
    await before.close();

    // The browser's EventSource sends the last id back as a header when it reconnects.
    const again = await follow(ada.client, checkoutId, { "last-event-id": seen.id! });
    expect(await again.next()).toEqual({ type: "connected" });
    const next = dataOf(await again.next(5_000));
    expect(next.id).not.toBe(seen.id);
    expect(succeededActions(next.data)).toBeGreaterThan(0);
  });
});

describe("one subscriber connection per web process", () => {
  it("subscribes a channel while at least one stream follows it, and unsubscribes when the last one hangs up", async () => {
    const { ada, checkoutId } = await heldCheckout(3_000);
    const one = await follow(ada.client, checkoutId);
    const two = await follow(ada.client, checkoutId);
    for (const stream of [one, two]) await opening(stream);
    expect(await subscribersOf(checkoutId)).toBe(1);

    await one.close();
    await waitUntil("the first stream to hang up", async () => (await subscribersOf(checkoutId)) === 1);
    expect(await subscribersOf(checkoutId)).toBe(1);
    await two.close();
    await waitUntil("the channel to be unsubscribed", async () => (await subscribersOf(checkoutId)) === 0);
  });

  it("ends the streams with a temporary error when the subscriber connection breaks, and the next stream works", async () => {
    const { ada, checkoutId } = await heldCheckout(2_000);
    const stream = await follow(ada.client, checkoutId);
    await opening(stream);

    await killSubscriberConnection();
    const events = await stream.rest();
    expect(events).toEqual([
      expect.objectContaining({ type: "error", error: expect.objectContaining({ data: expect.objectContaining({ code: "SERVICE_UNAVAILABLE" }) }) }),
    ]);

    const again = await follow(ada.client, checkoutId);
    const rest = await again.rest(15_000);
    expect(rest.at(-1)).toEqual({ type: "return" });
    expect(dataOf(rest.at(-2)!).data.status).toBe("completed");
  });
});

/** Kills this process's live subscriber connection in Redis, as a network failure or a Redis restart would. */
async function killSubscriberConnection(): Promise<void> {
  const list = (await redis.client("LIST", "TYPE", "PUBSUB")) as string;
  const ours = list.split("\n").find((line) => line.includes(`name=unicorn-live-${process.pid} `));
  const id = ours && /(?:^| )id=(\d+)/.exec(ours)?.[1];
  if (!id) throw new Error(`No live subscriber connection of process ${process.pid} in:\n${list}`);
  await redis.client("KILL", "ID", id);
}
