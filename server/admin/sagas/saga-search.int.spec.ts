import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { orderNumberOfCheckout } from "@/server/retail/orders/order-number";
import { startAcceptedCheckout } from "@/server/testing/checkout-flow";
import { closeCheckoutSuite, openCheckoutSuite } from "@/server/testing/checkout-suite";
import { createTestProduct, signUpStaffMember, signUpTestCustomer, type TestCustomer } from "@/server/testing/database";

/**
 * admin.sagas.list's one search box, through the API as the admin page calls it, against real PostgreSQL: every form
 * of id a person sees finds its saga, near misses find nothing, and what cannot be searched for (or filtered by) is
 * refused with a 400 that says why. No worker runs: the sagas only need to exist.
 */

let admin: TestCustomer;
/** Pat's two purchases (a Classic Unicorn that became an order, then an Aurora) and Bob's Classic. */
let patClassic: string;
let patAurora: string;
let bobClassic: string;
let orderId: string;

async function shopper(email: string): Promise<TestCustomer> {
  const customer = await signUpTestCustomer({ email });
  const topUp = await customer.client.mutate("wallet.topUp", { amountCents: 50_000, idempotencyKey: "opening-balance" });
  expect(topUp.status).toBe(200);
  return customer;
}

const search = (text: string) => admin.client.query("admin.sagas.list", { filter: { search: text } });
const found = async (text: string) => (await search(text)).data().sagas.map((saga) => saga.id);

beforeAll(async () => {
  await openCheckoutSuite();
  admin = await signUpStaffMember("admin");
  const classic = await createTestProduct({ slug: "classic-unicorn", onHand: 50 });
  const aurora = await createTestProduct({ slug: "aurora-unicorn", onHand: 50 });
  await db.product.update({ where: { id: aurora.id }, data: { name: "Moonlit Aurora" } });
  const pat = await shopper("pat.okafor@unicorn.test");
  const bob = await shopper("bob.smith@unicorn.test");
  patClassic = await startAcceptedCheckout(pat.client, { productSlug: classic.slug });
  patAurora = await startAcceptedCheckout(pat.client, { productSlug: aurora.slug });
  bobClassic = await startAcceptedCheckout(bob.client, { productSlug: classic.slug });
  orderId = randomUUID();
  await db.order.create({
    data: { id: orderId, checkoutId: patClassic, customerId: pat.profile.id, productId: classic.id, productName: "Classic Unicorn", quantity: 1, unitPriceCents: 12_000, totalCents: 12_000, paidCents: 12_000 },
  });
});
afterAll(closeCheckoutSuite);

describe("admin.sagas.list: search by any id a person sees", () => {
  it("finds a saga by its full id (the checkout's), in any case, with or without dashes", async () => {
    for (const text of [patClassic, patClassic.toUpperCase(), patClassic.replaceAll("-", ""), patClassic.replaceAll("-", "").toUpperCase()]) {
      expect(await found(text), text).toEqual([patClassic]);
    }
  });

  it("finds it by a prefix of 6 or more hex digits: the list's 8 characters, the shopper's order number with or without #", async () => {
    const orderNumber = orderNumberOfCheckout(patClassic); // "#83DA3A7E", as the checkout page and the orders list show it
    for (const text of [patClassic.slice(0, 8), patClassic.slice(0, 6), patClassic.slice(0, 13), patClassic.slice(0, 13).replace("-", "").toUpperCase(), orderNumber, orderNumber.slice(1), orderNumber.toLowerCase()]) {
      expect(await found(text), text).toEqual([patClassic]);
    }
  });

  it("finds it by its order's id, in full or a prefix", async () => {
    expect(await found(orderId)).toEqual([patClassic]);
    expect(await found(orderId.slice(0, 8).toUpperCase())).toEqual([patClassic]);
  });

  it("finds a customer's sagas, newest first, by their email or any part of it, in any case", async () => {
    for (const text of ["pat.okafor@unicorn.test", "PAT.OKAFOR@UNICORN.TEST", "pat", "okafor", "Okafor@unicorn"]) {
      expect(await found(text), text).toEqual([patAurora, patClassic]);
    }
    expect(await found("bob.smith")).toEqual([bobClassic]);
    expect(await found("unicorn.test")).toEqual([bobClassic, patAurora, patClassic]);
  });

  it("finds the sagas of a product by its name or part of it, in any case", async () => {
    expect(await found("aurora")).toEqual([patAurora]);
    expect(await found("MOONLIT aur")).toEqual([patAurora]);
    expect(await found("classic unicorn")).toEqual([bobClassic, patClassic]);
  });

  it("pages through a text search newest first, and narrows it by the other filters", async () => {
    const seen: string[] = [];
    let cursor: { createdAt: Date; id: string } | null = null;
    do {
      const page = (await admin.client.query("admin.sagas.list", { filter: { search: "unicorn.test" }, limit: 1, cursor })).data();
      seen.push(...page.sagas.map((saga) => saga.id));
      cursor = page.nextCursor;
    } while (cursor && seen.length < 10);
    expect(seen).toEqual([bobClassic, patAurora, patClassic]);

    await db.sagaInstance.update({ where: { id: patClassic }, data: { status: "needs_attention" } });
    try {
      const narrowed = async (filter: Record<string, unknown>) =>
        (await admin.client.query("admin.sagas.list", { filter })).data().sagas.map((saga) => saga.id);
      expect(await narrowed({ search: "pat", status: "needs_attention" })).toEqual([patClassic]);
      expect(await narrowed({ search: "classic", status: "running" })).toEqual([bobClassic]);
      expect(await narrowed({ search: patClassic.slice(0, 8), status: "running" })).toEqual([]);
    } finally {
      await db.sagaInstance.update({ where: { id: patClassic }, data: { status: "running" } });
    }
  });

  it("finds nothing for a near miss: a prefix of no saga, an unknown email part, wildcards taken literally", async () => {
    const ids = [patClassic, patAurora, bobClassic, orderId];
    // The 8-character prefix with its last digit changed, checked to be no saga's or order's.
    const nearMiss = [...Array(16).keys()]
      .map((digit) => patClassic.slice(0, 7) + digit.toString(16))
      .find((prefix) => !ids.some((id) => id.startsWith(prefix)))!;
    for (const text of [nearMiss, `#${nearMiss.toUpperCase()}`, "patx", "pat.okafor@unicorn.tes1", "nobody@unicorn.test", "%%%", "___", "a%b"]) {
      expect(await found(text), text).toEqual([]);
    }
  });

  it("refuses, with a 400 that says why, a search too short to be an id, a word too short, and a # without hex", async () => {
    for (const [text, message] of [
      [patClassic.slice(0, 5), /at least 6 characters of an id or order number/],
      [`#${patClassic.slice(0, 4)}`, /at least 6 characters of an id or order number/],
      ["pa", /at least 3 characters of an email or product name/],
      ["#pat", /An order number is # and hex digits/],
      [`${patClassic}0`, /An id has 32 hex digits; this has 33/],
    ] as const) {
      const response = await search(text);
      expect(response.status, text).toBe(400);
      expect(response.error().message, text).toMatch(message);
    }
  });
});

describe("admin.sagas.list: filters that refuse honestly", () => {
  const list = (filter: Record<string, unknown>) => admin.client.query("admin.sagas.list", { filter });

  it("refuses an email as a customer id, pointing to the search", async () => {
    const response = await list({ customerId: "pat@unicorn.test" });
    expect(response.status).toBe(400);
    expect(response.error().message).toMatch(/That is not a customer id.*use Search/);
  });

  it("refuses dates in the wrong order, or equal, (and so does the bulk retry, which shares the filter)", async () => {
    for (const [from, to] of [
      ["2026-12-01T11:00:00Z", "2026-12-01T10:00:00Z"],
      ["2026-12-01T10:00:00Z", "2026-12-01T10:00:00Z"],
    ]) {
      const response = await list({ from, to });
      expect(response.status).toBe(400);
      expect(response.error().message).toBe("The end must be after the start.");
      // Field errors are keyed by the input's top-level field (the page places it beside the end itself).
      expect(response.error().data.fieldErrors).toEqual({ filter: ["The end must be after the start."] });
    }
    const bulk = await admin.client.mutate("admin.sagas.bulkRetry", { filter: { from: "2026-12-02T00:00:00Z", to: "2026-12-01T00:00:00Z" } });
    expect(bulk.status).toBe(400);
    expect(bulk.error().message).toBe("The end must be after the start.");
    expect((await list({ from: "2026-12-01T10:00:00Z", to: "2026-12-01T11:00:00Z" })).status).toBe(200);
  });

  it("refuses a date that is not one", async () => {
    const response = await list({ from: "yesterday" });
    expect(response.status).toBe(400);
    expect(response.error().message).toBe("Give the start as a date and time.");
  });
});
