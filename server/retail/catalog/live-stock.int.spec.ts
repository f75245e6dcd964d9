import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db, disconnectDb } from "@/server/db";
import { createApiClient } from "@/server/testing/api-client";
import { subscribe, type ApiStream } from "@/server/testing/api-stream";
import { createTestProduct, truncateShop } from "@/server/testing/database";
import type { StockLevels } from "./stock-levels";

/**
 * catalog.onStock through the real HTTP API (SSE): the levels at once, then again whenever a commit moves stock —
 * whoever wrote it (here: plain SQL from outside the shop), told by PostgreSQL's NOTIFY from the inventory trigger.
 */
let streams: ApiStream<StockLevels>[] = [];

async function followStock(): Promise<ApiStream<StockLevels>> {
  const stream = await subscribe(createApiClient(), "catalog.onStock");
  streams.push(stream);
  expect(stream.status).toBe(200);
  expect(await stream.next()).toEqual({ type: "connected" });
  return stream;
}

async function nextLevels(stream: ApiStream<StockLevels>): Promise<StockLevels> {
  const event = await stream.next(2_000);
  if (event?.type !== "data") throw new Error(`Expected stock levels, got ${JSON.stringify(event)}`);
  return event.data;
}

beforeAll(truncateShop);
beforeEach(truncateShop);
afterEach(async () => {
  await Promise.all(streams.map((stream) => stream.close()));
  streams = [];
});
afterAll(disconnectDb);

describe("catalog.onStock", () => {
  it("sends the levels at once, then each change a commit makes, from any writer", { timeout: 20_000 }, async () => {
    const product = await createTestProduct({ slug: "live-unicorn", onHand: 3 });
    const stream = await followStock();
    expect(await nextLevels(stream)).toEqual({ "live-unicorn": 3 });

    // A reservation taken by someone else's transaction…
    await db.$executeRaw`UPDATE inventory SET reserved = reserved + 1 WHERE product_id = ${product.id}::uuid`;
    expect(await nextLevels(stream)).toEqual({ "live-unicorn": 2 });
    // …released again, and then a restock.
    await db.$executeRaw`UPDATE inventory SET reserved = reserved - 1 WHERE product_id = ${product.id}::uuid`;
    expect(await nextLevels(stream)).toEqual({ "live-unicorn": 3 });
    await db.$executeRaw`UPDATE inventory SET on_hand = on_hand + 4 WHERE product_id = ${product.id}::uuid`;
    expect(await nextLevels(stream)).toEqual({ "live-unicorn": 7 });
  });

  it("tells every open page, and sends nothing for a commit that moved no stock", { timeout: 20_000 }, async () => {
    const product = await createTestProduct({ slug: "shared-unicorn", onHand: 2 });
    const [first, second] = [await followStock(), await followStock()];
    expect(await nextLevels(first)).toEqual({ "shared-unicorn": 2 });
    expect(await nextLevels(second)).toEqual({ "shared-unicorn": 2 });

    await db.$executeRaw`UPDATE inventory SET updated_at = now() WHERE product_id = ${product.id}::uuid`;
    await expect(first.next(1_500)).rejects.toThrow(/Timed out/);

    await db.$executeRaw`UPDATE inventory SET on_hand = 0, reserved = 0 WHERE product_id = ${product.id}::uuid`;
    expect(await nextLevels(first)).toEqual({ "shared-unicorn": 0 });
    expect(await nextLevels(second)).toEqual({ "shared-unicorn": 0 });
  });
});
