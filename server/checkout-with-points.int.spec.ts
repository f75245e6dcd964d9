import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";

await vi.hoisted(async () => {
  const { useCheckoutTestTimings } = await import("@/server/testing/checkout-workers");
  useCheckoutTestTimings();
});

import { db } from "@/server/db";
import { adjustPoints } from "@/server/loyalty/adjust-points";
import { readPointStream } from "@/server/loyalty/event-store/point-event-store";
import { availablePoints, evolvePoints, initialPointsState, type PointsState } from "@/server/loyalty/points/points-state";
import { pointsCommandsQueue } from "@/server/queues/points-commands-queue";
import { pointsRepliesQueue } from "@/server/queues/points-replies-queue";
import { sql, sqlPool } from "@/server/sql";
import {
  createFundedCustomers,
  fundedCustomer,
  openRawQueue,
  startAcceptedCheckout,
  waitForCheckout,
  waitForSagas,
  waitUntil,
} from "@/server/testing/checkout-flow";
import { checkInvariants, snapshotStock } from "@/server/testing/checkout-invariants";
import { closeCheckoutSuite, openCheckoutSuite } from "@/server/testing/checkout-suite";
import { describeLogs, startCheckoutWorker, startLoyaltyWorker, stopAllCheckoutWorkers, type CheckoutWorker } from "@/server/testing/checkout-workers";
import { createTestProduct } from "@/server/testing/database";

/**
 * Points paying for part of a purchase, across both contexts with nothing standing in: real checkout and loyalty
 * worker processes, the commands through Retail's outbox and the points-commands queue, Loyalty's replies through
 * the points-replies queue. What Loyalty holds is read from its event log (a replay), never from a projection that
 * may trail it. (Each side alone, with the other played by the test: server/retail/checkout/checkout-points.int.spec.ts
 * and server/loyalty/checkout-points/*.int.spec.ts.)
 */

const PRICE = 12_000;
/** 100 points = $5.00 (the seeded redemption rule): 250 points take $12.50 off, and the wallet pays $107.50. */
const POINTS = 250;
const DISCOUNT = 1_250;
/** How long the checkout workers wait for Loyalty: short where Loyalty is down on purpose, long where it only starts late. */
const REPLY_TIMEOUT_MS = 1_500;
const PATIENT_REPLY_TIMEOUT_MS = 30_000;
const WORKER_ENV = { POINTS_REPLY_TIMEOUT_MS: String(REPLY_TIMEOUT_MS), LOYALTY_PROJECTION_INTERVAL_MS: "50" };

beforeEach(openCheckoutSuite);
afterEach(stopAllCheckoutWorkers);
afterAll(closeCheckoutSuite);

const checkoutWorker = (name = "checkout", replyTimeoutMs = REPLY_TIMEOUT_MS) =>
  startCheckoutWorker({ name, env: { ...WORKER_ENV, POINTS_REPLY_TIMEOUT_MS: String(replyTimeoutMs) } });
const loyaltyWorker = (name = "loyalty") => startLoyaltyWorker({ name, env: WORKER_ENV });

/** Gives a customer points in one lot expiring `inDays` from now, as staff would. */
async function givePoints(customerId: string, points: number, inDays = 3): Promise<void> {
  await adjustPoints({ customerId, points, reason: "Test points", adjustedBy: "test", idempotencyKey: randomUUID(), lotLifetimeDays: inDays, now: new Date() });
}

/** The customer's points as the event log has them. */
async function pointsOf(customerId: string): Promise<PointsState> {
  return (await readPointStream(sqlPool, customerId)).reduce((state, stored) => evolvePoints(state, stored.event), initialPointsState());
}

async function pointEventTypes(customerId: string): Promise<string[]> {
  return (await readPointStream(sqlPool, customerId)).map((stored) => stored.event.type);
}

const lotsOf = (state: PointsState) => state.lots.map(({ lotId, remaining, expiresAt, expired }) => ({ lotId, remaining, expiresAt, expired }));

async function balanceOf(customerId: string): Promise<number> {
  return (await db.wallet.findUniqueOrThrow({ where: { customerId } })).balanceCents;
}

async function checkoutWithPoints(balanceCents: number, options: { points?: number } = {}) {
  const product = await createTestProduct({ onHand: 5, salePriceCents: PRICE });
  const shopper = await fundedCustomer(balanceCents, "Pat");
  await givePoints(shopper.profile.id, options.points ?? POINTS);
  const initialStock = await snapshotStock();
  return { product, shopper, initialStock };
}

/** Waits for every job of a queue to be done with, so that nothing is left to deliver. */
async function waitForQueueToDrain(name: string): Promise<void> {
  const raw = openRawQueue(name);
  try {
    await waitUntil(`the ${name} queue to drain`, async () =>
      Object.values(await raw.queue.getJobCounts("waiting", "active", "delayed", "prioritized")).every((count) => count === 0),
    );
  } finally {
    await raw.close();
  }
}

describe("a checkout paid partly with points, both contexts for real", () => {
  it("debits the price less the discount, takes the points first-expiring first, and records both on the order", { timeout: 60_000 }, async () => {
    const { product, shopper, initialStock } = await checkoutWithPoints(50_000);
    await Promise.all([checkoutWorker(), loyaltyWorker()]);

    const checkoutId = await startAcceptedCheckout(shopper.client, { productSlug: product.slug, pointsToUse: POINTS });
    const status = await waitForCheckout(shopper.client, checkoutId);

    expect(status).toMatchObject({ status: "completed", pointsRequested: POINTS, pointsUsed: POINTS, discountCents: DISCOUNT, paidCents: PRICE - DISCOUNT });
    expect(await balanceOf(shopper.profile.id)).toBe(50_000 - (PRICE - DISCOUNT));
    expect(await db.order.findFirstOrThrow({ where: { checkoutId } })).toMatchObject({ totalCents: PRICE, pointsUsed: POINTS, discountCents: DISCOUNT, paidCents: PRICE - DISCOUNT });
    const points = await pointsOf(shopper.profile.id);
    expect(points.lots[0]).toMatchObject({ remaining: 0 });
    expect(await pointEventTypes(shopper.profile.id)).toEqual(expect.arrayContaining(["PointsAdjusted", "PointsRedeemed"]));
    expect((await checkInvariants(initialStock)).violations).toEqual([]);
  });

  it("gives the points back to the very lots they came from when the wallet is short after them, and releases the unicorn", { timeout: 60_000 }, async () => {
    // Pat: $90 in the wallet, $107.50 to pay once his points are used.
    const { product, shopper, initialStock } = await checkoutWithPoints(9_000);
    const before = lotsOf(await pointsOf(shopper.profile.id));
    await Promise.all([checkoutWorker(), loyaltyWorker()]);

    const checkoutId = await startAcceptedCheckout(shopper.client, { productSlug: product.slug, pointsToUse: POINTS });
    const status = await waitForCheckout(shopper.client, checkoutId);

    expect(status).toMatchObject({ status: "compensated", pointsUsed: 0, pointsGivenBack: POINTS, refundedCents: 0 });
    expect(status.failureReason).toMatch(/short/);
    expect(await balanceOf(shopper.profile.id)).toBe(9_000);
    expect(await db.walletEntry.count({ where: { wallet: { customerId: shopper.profile.id }, kind: { not: "deposit" } } })).toBe(0);
    expect(lotsOf(await pointsOf(shopper.profile.id))).toEqual(before);
    expect(await pointEventTypes(shopper.profile.id)).toEqual(["PointsAdjusted", "PointsRedeemed", "PointsRestored"]);
    expect(await db.inventory.findUniqueOrThrow({ where: { productId: product.id } })).toMatchObject({ onHand: 5, reserved: 0 });
    expect((await checkInvariants(initialStock)).violations).toEqual([]);
  });

  it("waits while Loyalty is down, undoes the checkout at the deadline, and Loyalty handling the command late changes nothing", { timeout: 60_000 }, async () => {
    const { product, shopper, initialStock } = await checkoutWithPoints(50_000);
    const before = lotsOf(await pointsOf(shopper.profile.id));
    await checkoutWorker();

    const checkoutId = await startAcceptedCheckout(shopper.client, { productSlug: product.slug, pointsToUse: POINTS });
    // No reply by the deadline: the redemption failed, and its own compensation (the restore) now waits in turn.
    await waitUntil(
      "the checkout to give up waiting for Loyalty",
      async () => (await db.sagaInstance.findUniqueOrThrow({ where: { id: checkoutId } })).status === "compensating",
      { timeoutMs: 15_000 },
    );
    expect(await balanceOf(shopper.profile.id)).toBe(50_000);

    await loyaltyWorker("loyalty-late");
    const status = await waitForCheckout(shopper.client, checkoutId, { timeoutMs: 30_000 });

    expect(status).toMatchObject({ status: "compensated", pointsUsed: 0 });
    expect(lotsOf(await pointsOf(shopper.profile.id))).toEqual(before);
    expect(availablePoints(await pointsOf(shopper.profile.id), new Date())).toBe(POINTS);
    expect(await db.walletEntry.count({ where: { wallet: { customerId: shopper.profile.id }, kind: { not: "deposit" } } })).toBe(0);
    expect(await db.inventory.findUniqueOrThrow({ where: { productId: product.id } })).toMatchObject({ onHand: 5, reserved: 0 });
    expect((await checkInvariants(initialStock)).violations).toEqual([]);
  });

  it("redeems once when the command and the reply are each delivered twice", { timeout: 60_000 }, async () => {
    const { product, shopper, initialStock } = await checkoutWithPoints(50_000);
    // Loyalty's worker starts only once the command is doubled: the checkout must not give up on it meanwhile.
    await checkoutWorker("checkout", PATIENT_REPLY_TIMEOUT_MS);
    const commands = openRawQueue(pointsCommandsQueue.name);
    const replies = openRawQueue(pointsRepliesQueue.name);
    try {
      const checkoutId = await startAcceptedCheckout(shopper.client, { productSlug: product.slug, pointsToUse: POINTS });
      // The command waits on Loyalty's queue (no loyalty worker yet): put it there a second time, under another id.
      const [command] = await waitUntil("the redemption command on Loyalty's queue", async () => {
        const jobs = await commands.queue.getJobs(["waiting"]);
        return jobs.length === 1 && jobs;
      });
      await commands.queue.add(command!.name, command!.data, { jobId: randomUUID() });
      // Replies are then delivered twice too: every reply Loyalty sends is copied under another id as it arrives.
      const copied = new Set<string>();
      const copyReplies = setInterval(() => {
        void replies.queue.getJobs(["waiting", "active", "completed"]).then(async (jobs) => {
          for (const job of jobs) {
            if (!job.id || copied.has(job.id) || job.id.startsWith("copy-")) continue;
            copied.add(job.id);
            await replies.queue.add(job.name, job.data, { jobId: `copy-${randomUUID()}` });
          }
        });
      }, 20);
      await loyaltyWorker();
      const status = await waitForCheckout(shopper.client, checkoutId);
      await waitUntil("a reply copied", async () => copied.size >= 1);
      clearInterval(copyReplies);
      await waitForQueueToDrain(pointsCommandsQueue.name);
      await waitForQueueToDrain(pointsRepliesQueue.name);

      expect(status).toMatchObject({ status: "completed", pointsUsed: POINTS, paidCents: PRICE - DISCOUNT });
      expect((await pointEventTypes(shopper.profile.id)).filter((type) => type === "PointsRedeemed")).toHaveLength(1);
      expect(await balanceOf(shopper.profile.id)).toBe(50_000 - (PRICE - DISCOUNT));
      expect(await db.order.count({ where: { checkoutId } })).toBe(1);
      expect((await checkInvariants(initialStock)).violations).toEqual([]);
    } finally {
      await commands.close();
      await replies.close();
    }
  });

  it("redeems exactly once per checkout when the loyalty worker is killed -9 in the middle of the commands", { timeout: 90_000 }, async () => {
    const product = await createTestProduct({ onHand: 40, salePriceCents: PRICE });
    const initialStock = await snapshotStock();
    const shoppers = await createFundedCustomers(20, 50_000);
    for (const shopper of shoppers) await givePoints(shopper.id, POINTS);
    // Patient: the successor (and the doomed worker's stalled jobs) must come in time for every checkout to complete.
    await checkoutWorker("checkout", PATIENT_REPLY_TIMEOUT_MS);
    const checkoutIds = await Promise.all(
      shoppers.map((shopper) => startAcceptedCheckout(shopper.client, { productSlug: product.slug, pointsToUse: POINTS })),
    );
    const doomed: CheckoutWorker = await startLoyaltyWorker({ name: "loyalty-doomed", env: { ...WORKER_ENV, LOYALTY_COMMAND_CONCURRENCY: "2" } });
    // Killed once some commands are handled and others are not.
    await waitUntil(
      "some commands handled",
      async () => (await sqlPool.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM loyalty_checkout_outcomes`))[0]!.n >= 3,
    );
    await doomed.crash();
    await loyaltyWorker("loyalty-successor");
    await waitForSagas(checkoutIds, { timeoutMs: 60_000 });

    for (const [index, shopper] of shoppers.entries()) {
      const status = (await shopper.client.query("checkout.status", { checkoutId: checkoutIds[index]! })).data();
      const types = await pointEventTypes(shopper.id);
      expect({ status: status.status, used: status.pointsUsed, redeemed: types.filter((type) => type === "PointsRedeemed").length }).toEqual({
        status: "completed",
        used: POINTS,
        redeemed: 1,
      });
    }
    expect((await checkInvariants(initialStock)).violations, describeLogs([doomed])).toEqual([]);
  });

  it("never uses more points than a customer has, whatever 50 checkouts of theirs ask at once", { timeout: 120_000 }, async () => {
    // No campaign rules are saved here, so no purchase earns points while the checkouts run: 250 points, no more.
    const product = await createTestProduct({ onHand: 60, salePriceCents: PRICE });
    const [shopper] = await createFundedCustomers(1, 1_000_000);
    await givePoints(shopper!.id, POINTS);
    const initialStock = await snapshotStock();
    const workers = [checkoutWorker("checkout-1", PATIENT_REPLY_TIMEOUT_MS), checkoutWorker("checkout-2", PATIENT_REPLY_TIMEOUT_MS)];
    await Promise.all([...workers, loyaltyWorker("loyalty-1"), loyaltyWorker("loyalty-2")]);

    const checkoutIds = await Promise.all(
      Array.from({ length: 50 }, () => startAcceptedCheckout(shopper!.client, { productSlug: product.slug, pointsToUse: 100 })),
    );
    await waitForSagas(checkoutIds, { timeoutMs: 90_000 });

    const statuses = await Promise.all(checkoutIds.map(async (checkoutId) => (await shopper!.client.query("checkout.status", { checkoutId })).data()));
    const used = statuses.reduce((sum, status) => sum + status.pointsUsed, 0);
    expect(statuses.filter((status) => status.status === "completed")).toHaveLength(2);
    expect(used).toBe(200);
    expect(availablePoints(await pointsOf(shopper!.id), new Date())).toBe(POINTS - used);
    for (const status of statuses.filter((each) => each.status !== "completed")) expect(status.failureReason).toMatch(/points/i);
    expect((await checkInvariants(initialStock)).violations).toEqual([]);
  });
});
