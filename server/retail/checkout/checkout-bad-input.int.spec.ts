import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

await vi.hoisted(async () => {
  const { useCheckoutTestTimings } = await import("@/server/testing/checkout-workers");
  useCheckoutTestTimings();
});

import { db } from "@/server/db";


import { createApiClient, type ApiClient, type ApiResponse } from "@/server/testing/api-client";
import {
  countCheckoutRows,
  fundedCustomer,
  startAcceptedCheckout,
  waitForCheckout,
  waitForSagas,
} from "@/server/testing/checkout-flow";
import { checkInvariants, snapshotStock, type StockSnapshot } from "@/server/testing/checkout-invariants";
import { startCheckoutWorkers } from "@/server/testing/checkout-workers";
import { createTestProduct, type TestCustomer } from "@/server/testing/database";
import { closeCheckoutSuite, openCheckoutSuite } from "@/server/testing/checkout-suite";

/**
 * checkout.start, checkout.status and orders.get fed what a careless or hostile client could send. Each is refused
 * with a 4xx and a sentence a person can act on, writes nothing, and never shows one customer another's checkout or
 * order. Idempotency keys: the same request twice is one checkout; the same key for a different request is refused.
 */

let ada: TestCustomer;
let bob: TestCustomer;
let bobsCheckout: { id: string; orderId: string; amountCents: number };
let initialStock: StockSnapshot;

beforeAll(async () => {
  await openCheckoutSuite();
  await startCheckoutWorkers(1, { name: "bad-input" });
  await createTestProduct({ slug: "classic-unicorn", onHand: 10, salePriceCents: 12_000 });
  await createTestProduct({ slug: "scarce-unicorn", onHand: 2, salePriceCents: 12_000 });
  await createTestProduct({ slug: "sold-out-unicorn", onHand: 0, salePriceCents: 12_000 });
  initialStock = await snapshotStock();
  ada = await fundedCustomer(100_000, "Ada");
  bob = await fundedCustomer(100_000, "Bob");
  // Bob's purchase, which Ada must never see.
  const id = await startAcceptedCheckout(bob.client, { productSlug: "classic-unicorn", quantity: 2 });
  const status = await waitForCheckout(bob.client, id);
  expect(status.status).toBe("completed");
  bobsCheckout = { id, orderId: status.orderId!, amountCents: status.amountCents };
});

afterAll(closeCheckoutSuite);

/** Waits for every checkout started so far to finish, so that row counts stand still. */
async function settle(): Promise<void> {
  const sagas = await db.sagaInstance.findMany({ select: { id: true } });
  await waitForSagas(sagas.map((saga) => saga.id));
}

/** 4xx, one short readable sentence, no internals, the expected code and message. */
function expectRefusal(response: ApiResponse, expected: { status: number; domainCode: string; message: string | RegExp }) {
  expect(response.status, response.text).toBe(expected.status);
  const error = response.error();
  expect(error.data.domainCode, response.text).toBe(expected.domainCode);
  if (typeof expected.message === "string") expect(error.message).toBe(expected.message);
  else expect(error.message).toMatch(expected.message);
  expect(error.message.length).toBeLessThan(200);
  expect(error.message).not.toMatch(/[{}[\]]|invalid_type|expected|received|prisma|uuid\b/i);
  expect(error.data.stack).toBeUndefined();
  expect(response.text).not.toMatch(/\n\s+at |\.ts:\d+/);
  return error;
}

const start = (input: unknown) => (client: ApiClient) => client.mutate("checkout.start", input);
const valid = { productSlug: "classic-unicorn", quantity: 1, idempotencyKey: "bad-input-key-0001" };

type BadCase = {
  name: string;
  send: (client: ApiClient) => Promise<ApiResponse>;
  status: number;
  domainCode: string;
  message: string | RegExp;
  /** The field the message is shown next to, if any. */
  field?: string;
  anonymous?: boolean;
};

const badStarts: BadCase[] = [
  { name: "quantity 0", send: start({ ...valid, quantity: 0 }), status: 400, domainCode: "VALIDATION", message: "Choose at least 1 unicorn.", field: "quantity" },
  { name: "negative quantity", send: start({ ...valid, quantity: -3 }), status: 400, domainCode: "VALIDATION", message: "Choose at least 1 unicorn.", field: "quantity" },
  {
    name: "fractional quantity",
    send: start({ ...valid, quantity: 1.5 }),
    status: 400,
    domainCode: "VALIDATION",
    message: "Unicorns come whole: choose a whole number.",
    field: "quantity",
  },
  {
    name: "a billion unicorns",
    send: start({ ...valid, quantity: 1e9 }),
    status: 400,
    domainCode: "VALIDATION",
    message: "At most 5 unicorns per order on Cyber Monday.",
    field: "quantity",
  },
  { name: "six unicorns", send: start({ ...valid, quantity: 6 }), status: 400, domainCode: "VALIDATION", message: "At most 5 unicorns per order on Cyber Monday.", field: "quantity" },
  { name: "quantity as a string", send: start({ ...valid, quantity: "2" }), status: 400, domainCode: "VALIDATION", message: "Choose how many unicorns to buy.", field: "quantity" },
  { name: "quantity missing", send: start({ ...valid, quantity: undefined }), status: 400, domainCode: "VALIDATION", message: "Choose how many unicorns to buy.", field: "quantity" },
  { name: "quantity NaN", send: start({ ...valid, quantity: Number.NaN }), status: 400, domainCode: "VALIDATION", message: /unicorns/, field: "quantity" },
  { name: "quantity Infinity", send: start({ ...valid, quantity: Number.POSITIVE_INFINITY }), status: 400, domainCode: "VALIDATION", message: /unicorns/, field: "quantity" },
  {
    name: "unknown unicorn",
    send: start({ ...valid, productSlug: "no-such-unicorn" }),
    status: 404,
    domainCode: "NOT_FOUND",
    message: "We couldn't find that unicorn.",
    field: "productSlug",
  },
  {
    name: "malformed product slug",
    send: start({ ...valid, productSlug: "Classic Unicorn'; DROP TABLE orders;--" }),
    status: 400,
    domainCode: "VALIDATION",
    message: "That is not a product address.",
    field: "productSlug",
  },
  { name: "product slug missing", send: start({ ...valid, productSlug: undefined }), status: 400, domainCode: "VALIDATION", message: "A product slug is required.", field: "productSlug" },
  {
    name: "idempotency key missing",
    send: start({ ...valid, idempotencyKey: undefined }),
    status: 400,
    domainCode: "VALIDATION",
    message: "An idempotency key is required.",
    field: "idempotencyKey",
  },
  {
    name: "idempotency key malformed",
    send: start({ ...valid, idempotencyKey: "no spaces: allowed" }),
    status: 400,
    domainCode: "VALIDATION",
    message: /idempotency key must be 8–100 letters/,
    field: "idempotencyKey",
  },
  {
    name: "more than are left",
    send: start({ ...valid, productSlug: "scarce-unicorn", quantity: 3 }),
    status: 409,
    domainCode: "OUT_OF_STOCK",
    message: "Only 2 of the Classic Unicorn left.",
    field: "quantity",
  },
  {
    name: "sold out",
    send: start({ ...valid, productSlug: "sold-out-unicorn" }),
    status: 409,
    domainCode: "OUT_OF_STOCK",
    message: "Sorry, the Classic Unicorn is sold out.",
    field: "quantity",
  },
  { name: "not signed in", send: start(valid), status: 401, domainCode: "UNAUTHENTICATED", message: "Please sign in to continue.", anonymous: true },
];

const status = (input: unknown) => (client: ApiClient) => client.query("checkout.status", input);
const getOrder = (input: unknown) => (client: ApiClient) => client.query("orders.get", input);

const badLookups: BadCase[] = [
  {
    name: "checkout.status with a malformed id",
    send: status({ checkoutId: "not-a-checkout" }),
    status: 400,
    domainCode: "VALIDATION",
    message: "That is not a checkout reference.",
    field: "checkoutId",
  },
  {
    name: "checkout.status with SQL for an id",
    send: status({ checkoutId: "' OR 1=1 --" }),
    status: 400,
    domainCode: "VALIDATION",
    message: "That is not a checkout reference.",
    field: "checkoutId",
  },
  { name: "checkout.status with an unknown id", send: status({ checkoutId: randomUUID() }), status: 404, domainCode: "NOT_FOUND", message: "We couldn't find that checkout." },
  { name: "checkout.status, not signed in", send: status({ checkoutId: randomUUID() }), status: 401, domainCode: "UNAUTHENTICATED", message: "Please sign in to continue.", anonymous: true },
  { name: "orders.get with a malformed id", send: getOrder({ orderId: "12345" }), status: 400, domainCode: "VALIDATION", message: "That is not an order number.", field: "orderId" },
  { name: "orders.get with an unknown id", send: getOrder({ orderId: randomUUID() }), status: 404, domainCode: "NOT_FOUND", message: "We couldn't find that order." },
];

describe.each([
  ["checkout.start", badStarts],
  ["checkout.status and orders.get", badLookups],
])("%s refuses bad input", (_, cases) => {
  it.each(cases)("$name → $status, a readable message, nothing written", async ({ send, anonymous, field, ...expected }) => {
    await settle();
    const before = await countCheckoutRows();

    const response = await send(anonymous ? createApiClient() : ada.client);

    expectRefusal(response, expected);
    const fieldErrors = response.error().data.fieldErrors ?? {};
    expect(Object.keys(fieldErrors)).toEqual(field ? [field] : []);
    expect(await countCheckoutRows()).toEqual(before);
  });
});

describe("another customer's checkout and order", () => {
  it("are 'not found' for anyone else, exactly like ids that do not exist, and show none of their data", async () => {
    await settle();
    const before = await countCheckoutRows();

    const theirs = await ada.client.query("checkout.status", { checkoutId: bobsCheckout.id });
    const unknown = await ada.client.query("checkout.status", { checkoutId: randomUUID() });
    const theirOrder = await ada.client.query("orders.get", { orderId: bobsCheckout.orderId });
    const unknownOrder = await ada.client.query("orders.get", { orderId: randomUUID() });

    expectRefusal(theirs, { status: 404, domainCode: "NOT_FOUND", message: "We couldn't find that checkout." });
    expectRefusal(theirOrder, { status: 404, domainCode: "NOT_FOUND", message: "We couldn't find that order." });
    // Indistinguishable from an id that does not exist.
    expect(theirs.error()).toEqual(unknown.error());
    expect(theirOrder.error()).toEqual(unknownOrder.error());
    for (const response of [theirs, theirOrder]) {
      expect(response.text).not.toContain(bobsCheckout.orderId);
      expect(response.text).not.toContain(String(bobsCheckout.amountCents));
      expect(response.text).not.toContain(bob.profile.id);
    }
    // Ada's own list does not hold Bob's order; Bob's does.
    expect((await ada.client.query("orders.list")).data()).toEqual([]);
    expect((await bob.client.query("orders.list")).data()).toEqual([expect.objectContaining({ id: bobsCheckout.orderId })]);
    expect((await bob.client.query("checkout.status", { checkoutId: bobsCheckout.id })).data()).toMatchObject({ status: "completed" });
    expect(await countCheckoutRows()).toEqual(before);
  });
});

describe("idempotency keys", () => {
  it("returns the same checkout for the same request sent twice, and carries it out once", async () => {
    const key = `double-click-${randomUUID()}`;
    const first = await ada.client.mutate("checkout.start", { productSlug: "classic-unicorn", quantity: 1, idempotencyKey: key });
    const second = await ada.client.mutate("checkout.start", { productSlug: "classic-unicorn", quantity: 1, idempotencyKey: key });

    expect(first.status, first.text).toBe(200);
    expect(second.status, second.text).toBe(200);
    expect(second.data().checkoutId).toBe(first.data().checkoutId);
    const checkoutId = first.data().checkoutId;
    expect(await db.checkout.count({ where: { idempotencyKey: key } })).toBe(1);
    expect(await db.sagaInstance.count({ where: { id: checkoutId } })).toBe(1);
    expect((await waitForCheckout(ada.client, checkoutId)).status).toBe("completed");
    expect(await db.walletEntry.count({ where: { idempotencyKey: `saga:${checkoutId}:debit` } })).toBe(1);
    // Even once it has completed, the same request answers with the same checkout, and buys nothing more.
    const later = await ada.client.mutate("checkout.start", { productSlug: "classic-unicorn", quantity: 1, idempotencyKey: key });
    expect(later.data().checkoutId).toBe(checkoutId);
    expect(await db.order.count({ where: { customerId: ada.profile.id } })).toBe(1);
  });

  it("returns one checkout to the same request sent five times at once", async () => {
    const key = `impatient-${randomUUID()}`;
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => ada.client.mutate("checkout.start", { productSlug: "classic-unicorn", quantity: 1, idempotencyKey: key })),
    );

    for (const response of responses) expect(response.status, response.text).toBe(200);
    const ids = new Set(responses.map((response) => response.data().checkoutId));
    expect(ids.size).toBe(1);
    const [checkoutId] = [...ids];
    expect(await db.checkout.count({ where: { idempotencyKey: key } })).toBe(1);
    expect(await db.sagaInstance.count({ where: { id: checkoutId! } })).toBe(1);
    expect((await waitForCheckout(ada.client, checkoutId!)).status).toBe("completed");
  });

  it.each([
    ["a different unicorn", { productSlug: "scarce-unicorn", quantity: 1 }],
    ["a different quantity", { productSlug: "classic-unicorn", quantity: 2 }],
  ])("refuses the key reused for %s with 409, writing nothing", async (_, changed) => {
    const key = `reused-${randomUUID()}`;
    const first = await ada.client.mutate("checkout.start", { productSlug: "classic-unicorn", quantity: 1, idempotencyKey: key });
    expect(first.status, first.text).toBe(200);
    await settle();
    const before = await countCheckoutRows();

    const reused = await ada.client.mutate("checkout.start", { ...changed, idempotencyKey: key });

    expectRefusal(reused, {
      status: 409,
      domainCode: "IDEMPOTENCY_CONFLICT",
      message: "This checkout key was already used for a different purchase. Start a new checkout instead.",
    });
    expect(await countCheckoutRows()).toEqual(before);
  });

  it("keeps keys apart per customer: the same key from two customers is two checkouts", async () => {
    const key = `shared-key-${randomUUID()}`;
    const adas = await ada.client.mutate("checkout.start", { productSlug: "scarce-unicorn", quantity: 1, idempotencyKey: key });
    const bobs = await bob.client.mutate("checkout.start", { productSlug: "scarce-unicorn", quantity: 1, idempotencyKey: key });

    expect(adas.status, adas.text).toBe(200);
    expect(bobs.status, bobs.text).toBe(200);
    expect(adas.data().checkoutId).not.toBe(bobs.data().checkoutId);
    expect((await waitForCheckout(ada.client, adas.data().checkoutId)).status).toBe("completed");
    expect((await waitForCheckout(bob.client, bobs.data().checkoutId)).status).toBe("completed");
  });
});

describe("after all of it", () => {
  it("holds every invariant", async () => {
    await settle();
    const summary = await checkInvariants(initialStock);
    expect(summary.violations).toEqual([]);
    expect(summary.sagas).toEqual({ completed: summary.orders });
  });
});
