import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

await vi.hoisted(async () => {
  const { useCheckoutTestTimings } = await import("@/server/testing/checkout-workers");
  useCheckoutTestTimings();
});

import { db } from "@/server/db";
import {
  fundedCustomer,
  startAcceptedCheckout,
  startCheckout,
  stepExecution,
  stepExecutions,
  waitForCheckout,
  waitUntil,
} from "@/server/testing/checkout-flow";
import { checkInvariants, snapshotStock } from "@/server/testing/checkout-invariants";
import { closeCheckoutSuite, openCheckoutSuite } from "@/server/testing/checkout-suite";
import { describeLogs, startCheckoutWorker, stopAllCheckoutWorkers } from "@/server/testing/checkout-workers";
import { createTestProduct, signUpStaffMember, truncateShop } from "@/server/testing/database";
import { openLoyaltyStandIn, pointsRedeemed, pointsRefused, pointsRestored, type LoyaltyStandIn } from "@/server/testing/loyalty-stand-in";
import { delayAfterCommit, failPermanently, remainingOf } from "@/server/testing/saga-faults";
import { redeemPointsStepId } from "./checkout-steps";

/**
 * Paying part of a checkout with points, Retail's side: real checkout worker processes, real PostgreSQL and Redis,
 * and the test playing Loyalty (no loyalty worker runs): it takes each command the saga sent through the outbox off
 * the points-commands queue and answers on the points-replies queue — or does not, or answers late, or twice.
 */

const PRICE = 12_000;
/** $120 with 250 points worth $12.50: the wallet pays $107.50. */
const POINTS = 250;
const DISCOUNT = 1_250;
/** How long the workers wait for Loyalty here. */
const REPLY_TIMEOUT_MS = 1_500;

let loyalty: LoyaltyStandIn;

beforeAll(async () => {
  await openCheckoutSuite();
  loyalty = openLoyaltyStandIn();
});
afterAll(async () => {
  await loyalty.close();
  await closeCheckoutSuite();
});
beforeEach(truncateShop);
afterEach(stopAllCheckoutWorkers);

const worker = (name: string) => startCheckoutWorker({ name, env: { POINTS_REPLY_TIMEOUT_MS: String(REPLY_TIMEOUT_MS) } });

async function shopper(balanceCents = 50_000) {
  const product = await createTestProduct({ onHand: 5, salePriceCents: PRICE });
  const ada = await fundedCustomer(balanceCents, "Ada");
  return { product, ada, initialStock: await snapshotStock() };
}

async function balanceOf(customerId: string): Promise<number> {
  return (await db.wallet.findUniqueOrThrow({ where: { customerId } })).balanceCents;
}

/** The points commands the checkout sent through the outbox (its PurchaseCompleted names the checkout too). */
async function commandsOf(checkoutId: string): Promise<string[]> {
  const rows = await db.outboxMessage.findMany({
    where: { payload: { path: ["checkoutId"], equals: checkoutId }, eventType: { in: ["RedeemPointsForCheckout", "RestorePointsForCheckout"] } },
    orderBy: { createdAt: "asc" },
  });
  return rows.map((row) => row.eventType);
}

/** A worker, and a checkout of one unicorn asking for POINTS: its redemption command taken off Loyalty's queue. */
async function checkoutAskingForPoints(workerName: string) {
  const { product, ada, initialStock } = await shopper();
  const workers = [await worker(workerName)];
  const checkoutId = await startAcceptedCheckout(ada.client, { productSlug: product.slug, pointsToUse: POINTS });
  const command = await loyalty.take(checkoutId, "RedeemPointsForCheckout");
  return { product, ada, initialStock, workers, checkoutId, command };
}

/** Nothing kept: the shopper's wallet as it was, the unicorn back on sale, every invariant holding. */
async function expectNothingKept(customerId: string, productId: string, initialStock: Awaited<ReturnType<typeof snapshotStock>>) {
  expect(await balanceOf(customerId)).toBe(50_000);
  expect(await db.walletEntry.count({ where: { kind: { not: "deposit" } } })).toBe(0);
  expect(await db.inventory.findUniqueOrThrow({ where: { productId } })).toMatchObject({ onHand: 5, reserved: 0 });
  expect((await checkInvariants(initialStock)).violations).toEqual([]);
}

const summary = (steps: { step: string; phase: string; status: string }[]) => steps.map((step) => `${step.step}/${step.phase}: ${step.status}`);

describe("a checkout paid partly with points", () => {
  it("asks Loyalty, then debits the price less the discount; the order and PurchaseCompleted say what was paid", { timeout: 60_000 }, async () => {
    const { ada, initialStock, workers, checkoutId, command } = await checkoutAskingForPoints("points");
    expect(command).toMatchObject({ checkoutId, customerId: ada.profile.id, points: POINTS, amountCents: PRICE });
    // The relay published it under the outbox message's id (and marks it published once its pass is done).
    const message = await waitUntil("the command to be marked published", async () => {
      const row = await db.outboxMessage.findUniqueOrThrow({ where: { id: command.jobId } });
      return row.publishedAt !== null && row;
    });
    expect(message).toMatchObject({ eventType: "RedeemPointsForCheckout", payload: { checkoutId, points: POINTS } });
    const waiting = (await ada.client.query("checkout.status", { checkoutId })).data();
    expect(waiting).toMatchObject({ status: "running", pointsRequested: POINTS, pointsUsed: 0, discountCents: 0, paidCents: PRICE });
    // The shopper's view of the waiting step is `running`: "awaiting" is the engine's word, not the status contract's.
    expect(waiting.steps.find((step) => step.step === redeemPointsStepId)).toMatchObject({ phase: "action", status: "running", attempts: 1 });
    expect(await stepExecution(checkoutId, redeemPointsStepId)).toMatchObject({ status: "awaiting" });
    // The monitor shows whom it waits for, since when, until when, and what it sent.
    const admin = await signUpStaffMember("admin");
    const monitored = async () => (await admin.client.query("admin.sagas.get", { sagaId: checkoutId })).data();
    const whileWaiting = await monitored();
    expect(whileWaiting.awaitingReplyUntil).toBeInstanceOf(Date);
    expect(whileWaiting.steps.find((step) => step.step === redeemPointsStepId)).toMatchObject({
      status: "running",
      awaitingReply: true,
      replyFrom: "Loyalty",
      awaitingSince: expect.any(Date),
      awaitingUntil: whileWaiting.awaitingReplyUntil,
      sentMessage: { type: "RedeemPointsForCheckout", checkoutId, points: POINTS, amountCents: PRICE },
      reply: null,
    });

    const redeemed = pointsRedeemed(command, POINTS, DISCOUNT);
    await loyalty.reply(redeemed);
    const status = await waitForCheckout(ada.client, checkoutId);
    expect((await monitored()).steps.find((step) => step.step === redeemPointsStepId)).toMatchObject({
      status: "succeeded",
      awaitingReply: false,
      reply: redeemed,
      repliedAt: expect.any(Date),
    });

    expect(status, describeLogs(workers)).toMatchObject({
      status: "completed",
      amountCents: PRICE,
      pointsRequested: POINTS,
      pointsUsed: POINTS,
      discountCents: DISCOUNT,
      paidCents: PRICE - DISCOUNT,
    });
    expect(summary(status.steps)).toEqual([
      "reserve-stock/action: succeeded",
      "redeem-points/action: succeeded",
      "debit-wallet/action: succeeded",
      "complete-order/action: succeeded",
    ]);
    expect(await balanceOf(ada.profile.id)).toBe(50_000 - (PRICE - DISCOUNT));
    expect(await db.order.findUniqueOrThrow({ where: { checkoutId } })).toMatchObject({
      totalCents: PRICE,
      pointsUsed: POINTS,
      discountCents: DISCOUNT,
      paidCents: PRICE - DISCOUNT,
    });
    const purchase = await db.outboxMessage.findFirstOrThrow({ where: { eventType: "PurchaseCompleted" } });
    // Loyalty earns on what the wallet paid: $107.50 still reaches the ≥ $100 rule.
    expect(purchase.payload).toMatchObject({ amountCents: PRICE - DISCOUNT, items: [{ unitPriceCents: PRICE, quantity: 1 }] });
    expect(await commandsOf(checkoutId)).toEqual(["RedeemPointsForCheckout"]);
    expect((await checkInvariants(initialStock)).violations).toEqual([]);
  });

  it("is compensated when Loyalty refuses, telling the shopper why; the unicorn goes back, the wallet is untouched", { timeout: 60_000 }, async () => {
    const { product, ada, initialStock, checkoutId, command } = await checkoutAskingForPoints("refusal");
    await loyalty.reply(pointsRefused(command, "You have 40 points; you asked to use 250."));
    const status = await waitForCheckout(ada.client, checkoutId);

    expect(status).toMatchObject({ status: "compensated", failureReason: "You have 40 points; you asked to use 250.", pointsUsed: 0, discountCents: 0 });
    expect(summary(status.steps)).toEqual([
      "reserve-stock/action: succeeded",
      "redeem-points/action: failed",
      "reserve-stock/compensation: succeeded",
    ]);
    // Nothing was redeemed, so nothing is given back.
    expect(await commandsOf(checkoutId)).toEqual(["RedeemPointsForCheckout"]);
    await expectNothingKept(ada.profile.id, product.id, initialStock);
  });

  it("waits for Loyalty until its deadline, then gives the points back and releases the unicorn; a late yes changes nothing", { timeout: 60_000 }, async () => {
    const { product, ada, initialStock, checkoutId, command: redeem } = await checkoutAskingForPoints("no-reply");
    // Loyalty is "down": no reply. At the deadline the step fails, and is undone itself (it may have redeemed).
    const restore = await loyalty.take(checkoutId, "RestorePointsForCheckout", 15_000);
    expect(restore).toMatchObject({ checkoutId, customerId: ada.profile.id });
    const compensating = (await ada.client.query("checkout.status", { checkoutId })).data();
    expect(compensating).toMatchObject({
      status: "compensating",
      failureReason: "We couldn't reach our points service in time, so your points were not used and nothing was charged.",
    });
    expect(await stepExecution(checkoutId, redeemPointsStepId)).toMatchObject({ status: "failed", error: expect.stringMatching(/^No reply from Loyalty by /) });

    // Loyalty comes back and answers the redemption it finally handled: too late, nothing happens.
    const late = await loyalty.reply(pointsRedeemed(redeem, POINTS, DISCOUNT));
    await loyalty.handled(late);
    expect(await db.sagaInstance.findUniqueOrThrow({ where: { id: checkoutId } })).toMatchObject({ status: "compensating", currentStep: redeemPointsStepId });
    expect(await stepExecution(checkoutId, redeemPointsStepId)).toMatchObject({ status: "failed" });
    expect(await stepExecution(checkoutId, redeemPointsStepId, "compensation")).toMatchObject({ status: "awaiting" });

    await loyalty.reply(pointsRestored(restore, POINTS));
    const status = await waitForCheckout(ada.client, checkoutId);
    expect(status).toMatchObject({ status: "compensated", pointsUsed: 0, discountCents: 0 });
    expect(summary(status.steps)).toEqual([
      "reserve-stock/action: succeeded",
      "redeem-points/action: failed",
      "redeem-points/compensation: succeeded",
      "reserve-stock/compensation: succeeded",
    ]);
    await expectNothingKept(ada.profile.id, product.id, initialStock);
  });

  it("moves on once when Loyalty's reply is delivered twice", { timeout: 60_000 }, async () => {
    const { ada, initialStock, checkoutId, command } = await checkoutAskingForPoints("twice");
    const redeemed = pointsRedeemed(command, POINTS, DISCOUNT);
    // The same reply under two job ids (a command handled twice, a redelivery), at the same moment.
    const [first, second] = await Promise.all([loyalty.reply(redeemed), loyalty.reply(redeemed, { jobId: `${checkoutId}_again` })]);
    expect((await waitForCheckout(ada.client, checkoutId)).status).toBe("completed");
    await Promise.all([loyalty.handled(first), loyalty.handled(second)]);
    // …and once more after it completed.
    await loyalty.handled(await loyalty.reply(redeemed, { jobId: `${checkoutId}_late` }));

    expect(await db.walletEntry.count({ where: { kind: "debit" } })).toBe(1);
    expect(await balanceOf(ada.profile.id)).toBe(50_000 - (PRICE - DISCOUNT));
    expect(await db.order.count()).toBe(1);
    expect((await checkInvariants(initialStock)).violations).toEqual([]);
  });

  it("gives the points back after a refund when the order cannot be completed: refund, restore, release", { timeout: 60_000 }, async () => {
    const { product, ada, initialStock } = await shopper();
    await worker("undo-all");
    await failPermanently({ step: "complete-order", remaining: 1 });

    const checkoutId = await startAcceptedCheckout(ada.client, { productSlug: product.slug, pointsToUse: POINTS });
    await loyalty.reply(pointsRedeemed(await loyalty.take(checkoutId, "RedeemPointsForCheckout"), POINTS, DISCOUNT));
    const restore = await loyalty.take(checkoutId, "RestorePointsForCheckout");
    // The refund came first: the wallet is whole while the points are still being given back.
    expect(await balanceOf(ada.profile.id)).toBe(50_000);
    const giving = (await ada.client.query("checkout.status", { checkoutId })).data();
    expect(giving).toMatchObject({ status: "compensating", pointsUsed: POINTS, discountCents: DISCOUNT, paidCents: PRICE - DISCOUNT, refundedCents: PRICE - DISCOUNT, pointsGivenBack: 0 });
    await loyalty.reply(pointsRestored(restore, POINTS));
    const status = await waitForCheckout(ada.client, checkoutId);

    // The points are no longer used; the status keeps what came back, for the page to say so with its figures.
    expect(status).toMatchObject({ status: "compensated", pointsUsed: 0, pointsGivenBack: POINTS, refundedCents: PRICE - DISCOUNT });
    expect(summary(status.steps)).toEqual([
      "reserve-stock/action: succeeded",
      "redeem-points/action: succeeded",
      "debit-wallet/action: succeeded",
      "complete-order/action: failed",
      "debit-wallet/compensation: succeeded",
      "redeem-points/compensation: succeeded",
      "reserve-stock/compensation: succeeded",
    ]);
    const entries = await db.walletEntry.findMany({ where: { kind: { not: "deposit" } }, select: { kind: true, amountCents: true } });
    expect(entries).toEqual([{ kind: "debit", amountCents: -(PRICE - DISCOUNT) }, { kind: "refund", amountCents: PRICE - DISCOUNT }]);
    expect((await checkInvariants(initialStock)).violations).toEqual([]);
  });

  it("never runs, nor shows, the points step when no points are used", { timeout: 60_000 }, async () => {
    const { product, ada } = await shopper();
    await worker("no-points");

    const checkoutId = await startAcceptedCheckout(ada.client, { productSlug: product.slug, pointsToUse: 0 });
    const status = await waitForCheckout(ada.client, checkoutId);

    expect(status).toMatchObject({ status: "completed", pointsRequested: 0, pointsUsed: 0, paidCents: PRICE });
    expect(status.steps.map((step) => step.step)).toEqual(["reserve-stock", "debit-wallet", "complete-order"]);
    expect(await commandsOf(checkoutId)).toEqual([]);
  });
});

describe("a checkout worker killed with kill -9 while the points step waits", () => {
  it("loses neither the command nor the wait: the successor takes Loyalty's reply, and the checkout completes once", { timeout: 90_000 }, async () => {
    const { product, ada, initialStock } = await shopper();
    // Waiting long enough for a message claimed by the doomed worker's relay to be published by the successor's.
    const patient = { env: { POINTS_REPLY_TIMEOUT_MS: "30000" } };
    const doomed = await startCheckoutWorker({ name: "doomed", ...patient });
    // The points step commits its command and its wait, then holds the job: the worker dies right there.
    const fault = await delayAfterCommit({ step: "redeem-points", remaining: 1, delayMs: 30_000 });

    const checkoutId = await startAcceptedCheckout(ada.client, { productSlug: product.slug, pointsToUse: POINTS });
    await waitUntil("the points step to wait, its job held", async () => {
      const step = await stepExecution(checkoutId, redeemPointsStepId);
      return step?.status === "awaiting" && (await remainingOf(fault)) === 0;
    });
    expect(await doomed.crash()).toEqual({ code: null, signal: "SIGKILL" });
    const successor = await startCheckoutWorker({ name: "successor", ...patient });

    // The command was in the outbox with the wait: the successor's relay publishes it if the doomed one had not —
    // at worst once the doomed relay's claim on it runs out (10 s), had it died between claiming and publishing.
    const command = await loyalty.take(checkoutId, "RedeemPointsForCheckout", 25_000);
    await loyalty.reply(pointsRedeemed(command, POINTS, DISCOUNT));
    const status = await waitForCheckout(ada.client, checkoutId, { timeoutMs: 30_000 });

    expect(status.status, describeLogs([doomed, successor])).toBe("completed");
    expect(await commandsOf(checkoutId)).toEqual(["RedeemPointsForCheckout"]);
    expect(await db.walletEntry.count({ where: { kind: "debit" } })).toBe(1);
    expect(await balanceOf(ada.profile.id)).toBe(50_000 - (PRICE - DISCOUNT));
    // The wait's one delivery and its reply: the redemption was asked for once, and answered once.
    expect((await stepExecutions(checkoutId)).find((step) => step.step === redeemPointsStepId)).toMatchObject({ status: "succeeded" });
    expect((await checkInvariants(initialStock)).violations).toEqual([]);
  });
});

describe("the same idempotency key", () => {
  it("returns the same checkout for the same points, and is a 409 for other points (or none)", async () => {
    const { product, ada } = await shopper();
    const idempotencyKey = "buy-with-points";

    const first = await startAcceptedCheckout(ada.client, { productSlug: product.slug, idempotencyKey, pointsToUse: POINTS });
    expect(await startAcceptedCheckout(ada.client, { productSlug: product.slug, idempotencyKey, pointsToUse: POINTS })).toBe(first);

    for (const pointsToUse of [100, 0, undefined]) {
      const other = await startCheckout(ada.client, { productSlug: product.slug, idempotencyKey, pointsToUse });
      expect(other.status).toBe(409);
      const error = other.error();
      expect(error.data.domainCode).toBe("IDEMPOTENCY_CONFLICT");
      expect(error.message).toBe(
        `This checkout key was already used with 250 points, not ${pointsToUse ? "100 points" : "no points"}. Start a new checkout instead.`,
      );
    }
    expect(await db.checkout.findUniqueOrThrow({ where: { id: first } })).toMatchObject({ pointsRequested: POINTS });
  });

  it("refuses points that are not a whole number of at most a million, naming the field", async () => {
    const { product, ada } = await shopper();
    for (const pointsToUse of [-1, 2.5, 1_000_001]) {
      const refused = await startCheckout(ada.client, { productSlug: product.slug, pointsToUse });
      expect(refused.status).toBe(400);
      expect(refused.text).toContain("pointsToUse");
    }
    expect(await db.checkout.count()).toBe(0);
  });
});
