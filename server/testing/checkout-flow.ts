import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { isDeepStrictEqual } from "node:util";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { db } from "@/server/db";
import { pointsCommandsQueue } from "@/server/queues/points-commands-queue";
import { pointsRepliesQueue } from "@/server/queues/points-replies-queue";
import { queueConnectionOptions } from "@/server/queues/define-queue";
import { purchaseEventsQueue } from "@/server/queues/purchase-events-queue";
import { sagaStepQueue } from "@/server/queues/saga-queue";
import { sagaStepQueues } from "@/server/queues/saga-queue-partitions";
import { openFundedAccounts } from "@/server/retail/customers/open-funded-accounts";
import { hashPassword } from "@/server/retail/customers/passwords";
import { createApiClient, type ApiClient, type ApiResponse, type OutputOf } from "./api-client";
import { signUpTestCustomer, TEST_PASSWORD, type TestCustomer } from "./database";
import { signedInMemorySession } from "./memory-session";
import { integrationServices } from "./test-databases";

/** Driving checkouts the way a customer does (through the API), and watching what the workers make of them. */

export type CheckoutStatusView = OutputOf<"checkout.status">;
export const TERMINAL_STATUSES: readonly CheckoutStatusView["status"][] = ["completed", "compensated", "needs_attention"];

/** A customer signed up through the API, with `balanceCents` topped up through the API. */
export async function fundedCustomer(balanceCents: number, name = "Test Shopper"): Promise<TestCustomer> {
  const customer = await signUpTestCustomer({ name });
  if (balanceCents > 0) {
    const topUp = await customer.client.mutate("wallet.topUp", { amountCents: balanceCents, idempotencyKey: "opening-balance" });
    if (topUp.status !== 200) throw new Error(`Top-up failed with HTTP ${topUp.status}: ${topUp.text}`);
  }
  return customer;
}

export type FastCustomer = { id: string; client: ApiClient };

let sharedPasswordHash: Promise<string> | undefined;

/**
 * Many customers at once, each with a wallet holding `balanceCents` (a deposit in the ledger, as a top-up writes it)
 * and a signed-in session. Written straight to the database: signing up hundreds through the API would spend the
 * test's time hashing passwords.
 */
export async function createFundedCustomers(count: number, balanceCents: number | ((index: number) => number)): Promise<FastCustomer[]> {
  sharedPasswordHash ??= hashPassword(TEST_PASSWORD);
  const passwordHash = await sharedPasswordHash;
  const balanceOf = typeof balanceCents === "function" ? balanceCents : () => balanceCents;
  const ids = await openFundedAccounts({
    passwordHash,
    accounts: Array.from({ length: count }, (_, index) => ({
      email: `crowd-${randomUUID().slice(0, 12)}@unicorn.test`,
      name: `Shopper ${index + 1}`,
      balanceCents: balanceOf(index),
    })),
  });
  return Promise.all(ids.map(async (id) => ({ id, client: createApiClient(await signedInMemorySession(id)) })));
}

/** checkout.start through the API; a fresh idempotency key unless given. */
export function startCheckout(
  client: ApiClient,
  input: { productSlug: string; quantity?: number; idempotencyKey?: string; pointsToUse?: number },
): Promise<ApiResponse<OutputOf<"checkout.start">>> {
  return client.mutate("checkout.start", {
    productSlug: input.productSlug,
    quantity: input.quantity ?? 1,
    idempotencyKey: input.idempotencyKey ?? `checkout-${randomUUID()}`,
    ...(input.pointsToUse === undefined ? {} : { pointsToUse: input.pointsToUse }),
  });
}

/** checkout.start that must be accepted; returns the checkout id. */
export async function startAcceptedCheckout(
  client: ApiClient,
  input: { productSlug: string; quantity?: number; idempotencyKey?: string; pointsToUse?: number },
): Promise<string> {
  const response = await startCheckout(client, input);
  if (response.status !== 200) throw new Error(`checkout.start failed with HTTP ${response.status}: ${response.text}`);
  return response.data().checkoutId;
}

/**
 * Polls checkout.status (as the checkout page does) until the checkout is completed, compensated or needs
 * attention; fails with the last status seen when that takes longer than `timeoutMs`.
 */
export async function waitForCheckout(
  client: ApiClient,
  checkoutId: string,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<CheckoutStatusView> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const deadline = Date.now() + timeoutMs;
  let last: string = "(no answer yet)";
  for (;;) {
    const response = await client.query("checkout.status", { checkoutId });
    if (response.status !== 200) throw new Error(`checkout.status answered HTTP ${response.status}: ${response.text}`);
    const status = response.data();
    if (TERMINAL_STATUSES.includes(status.status)) return status;
    last = JSON.stringify(status);
    if (Date.now() > deadline) {
      throw new Error(`Checkout ${checkoutId} did not finish within ${timeoutMs} ms; last status: ${last}`);
    }
    await sleep(options.intervalMs ?? 100);
  }
}

/**
 * Waits until every one of these sagas has finished, reading PostgreSQL (polling the API for hundreds of checkouts
 * at once would measure the poller). Fails naming the unfinished ones.
 */
export async function waitForSagas(sagaIds: readonly string[], options: { timeoutMs?: number } = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const unfinished = await db.sagaInstance.findMany({
      where: { id: { in: [...sagaIds] }, status: { in: ["running", "compensating"] } },
      select: { id: true, status: true, currentStep: true },
    });
    const found = await db.sagaInstance.count({ where: { id: { in: [...sagaIds] } } });
    if (found !== sagaIds.length) throw new Error(`Only ${found} of ${sagaIds.length} sagas exist`);
    if (unfinished.length === 0) return;
    if (Date.now() > deadline) {
      const sample = unfinished.slice(0, 10).map((saga) => `${saga.id} ${saga.status} at ${saga.currentStep}`);
      throw new Error(`${unfinished.length} of ${sagaIds.length} sagas still unfinished after ${timeoutMs} ms:\n${sample.join("\n")}`);
    }
    await sleep(100);
  }
}

/** Polls `check` until it returns a value other than undefined/false; fails with `what` after `timeoutMs`. */
export async function waitUntil<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(options.intervalMs ?? 50);
  }
}

/** Every step execution of a saga, in the order they started. */
export function stepExecutions(sagaId: string) {
  return db.sagaStepExecution.findMany({
    where: { sagaId },
    orderBy: [{ startedAt: "asc" }, { phase: "asc" }],
    select: { step: true, phase: true, status: true, attempts: true, startedAt: true, finishedAt: true, error: true },
  });
}

export async function stepExecution(sagaId: string, step: string, phase: "action" | "compensation" = "action") {
  return db.sagaStepExecution.findUnique({
    where: { sagaId_step_phase: { sagaId, step, phase } },
    select: { status: true, attempts: true, startedAt: true, finishedAt: true, error: true },
  });
}

/** Row counts of everything a checkout writes: compare before and after to prove nothing was written. */
export async function countCheckoutRows() {
  const [checkouts, sagas, stepRuns, reservations, orders, walletEntries, outbox] = await Promise.all([
    db.checkout.count(),
    db.sagaInstance.count(),
    db.sagaStepExecution.count(),
    db.reservation.count(),
    db.order.count(),
    db.walletEntry.count(),
    db.outboxMessage.count(),
  ]);
  const inventory = await db.inventory.findMany({ select: { productId: true, onHand: true, reserved: true }, orderBy: { productId: "asc" } });
  const wallets = await db.wallet.findMany({ select: { id: true, balanceCents: true }, orderBy: { id: "asc" } });
  return { checkouts, sagas, stepRuns, reservations, orders, walletEntries, outbox, inventory, wallets };
}

/**
 * A plain BullMQ Queue on the tests' Redis, on a connection of its own: to inspect jobs and to add raw ones. It has the
 * shop's prefix for the queue (queue-prefix.ts), so it sees the jobs the shop's workers see.
 */
export type RawQueue = { queue: Queue; close(): Promise<void> };

export function openRawQueue(name: string): RawQueue {
  const connection = new Redis(integrationServices().redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(name, queueConnectionOptions(name, connection));
  return {
    queue,
    async close() {
      await queue.close();
      await connection.quit();
    },
  };
}

export const SAGA_STEP_QUEUE = sagaStepQueue.name;
export const PURCHASE_EVENTS_QUEUE = purchaseEventsQueue.name;

/** The job id the engine schedules a step under (see server/queues/saga-queue.ts). */
export function sagaJobId(sagaId: string, step: string, phase: "action" | "compensation" = "action"): string {
  return `${sagaId}_${step}_${phase}`;
}

/** Empties the queues checkouts use, so no job of an earlier test file (whose sagas are gone) reaches a worker. */
export async function obliterateCheckoutQueues(): Promise<void> {
  // Every partition of the step queue (one, `saga-steps`, on one Redis unless SAGA_QUEUE_PARTITIONS says more).
  for (const name of [...(await sagaStepQueues()).map((queue) => queue.name), PURCHASE_EVENTS_QUEUE, pointsCommandsQueue.name, pointsRepliesQueue.name]) {
    const raw = openRawQueue(name);
    try {
      await raw.queue.obliterate({ force: true });
    } finally {
      await raw.close();
    }
  }
}

/**
 * Waits until the outbox relay has published every message, then checks each PurchaseCompleted is in the
 * purchase-events queue under its own id with its payload, and was published once (two relays never publish the same
 * row) — unless Redis lost its data meanwhile (`republished`), after which recent events are rightly published again.
 */
export async function expectEveryEventPublished(options: { timeoutMs?: number; republished?: boolean } = {}): Promise<number> {
  await waitUntil(
    "the outbox relay to publish every event",
    async () => (await db.outboxMessage.count({ where: { publishedAt: null } })) === 0,
    { timeoutMs: options.timeoutMs ?? 10_000 },
  );
  // The checkout saga's points commands go to Loyalty's command queue (a test playing Loyalty takes them off it).
  const messages = await db.outboxMessage.findMany({
    where: { eventType: "PurchaseCompleted" },
    select: { id: true, payload: true, publishAttempts: true },
  });
  const events = openRawQueue(PURCHASE_EVENTS_QUEUE);
  const problems: string[] = [];
  try {
    for (const message of messages) {
      const job = await events.queue.getJob(message.id);
      if (!job) problems.push(`event ${message.id}: no job in ${PURCHASE_EVENTS_QUEUE}`);
      else if (!isDeepStrictEqual(job.data, message.payload)) problems.push(`event ${message.id}: job data differs`);
      if (message.publishAttempts !== 1 && !options.republished) problems.push(`event ${message.id}: published ${message.publishAttempts} times`);
    }
  } finally {
    await events.close();
  }
  if (problems.length > 0) throw new Error(`Outbox events not published as they should be:\n${problems.join("\n")}`);
  return messages.length;
}
