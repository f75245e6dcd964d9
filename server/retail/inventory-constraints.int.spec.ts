import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { db, disconnectDb } from "@/server/db";
import { truncateShop, createTestProduct } from "@/server/testing/database";

/**
 * The database itself refuses what the shop must never do, even if application code tried: these statements go
 * straight to PostgreSQL, past every check in the domain code.
 */

let productId: string;
let walletId: string;
let entryId: string;

beforeEach(async () => {
  await truncateShop();
  const product = await createTestProduct({ reserved: 2 });
  productId = product.id;
  const customer = await db.customer.create({
    data: { email: "ada@unicorn.test", name: "Ada", passwordHash: "not-a-real-hash", wallet: { create: { balanceCents: 1_000 } } },
    include: { wallet: true },
  });
  walletId = customer.wallet?.id ?? "";
  const entry = await db.walletEntry.create({
    data: {
      walletId,
      kind: "deposit",
      amountCents: 1_000,
      balanceAfterCents: 1_000,
      idempotencyKey: "test:opening",
      description: "Opening balance",
    },
  });
  entryId = entry.id;
});
afterAll(disconnectDb);

/** The PostgreSQL error behind a Prisma error (Prisma 7 driver adapters keep it under meta.driverAdapterError). */
function driverCause(error: unknown): unknown {
  if (!(error instanceof Error) || !("meta" in error)) return undefined;
  const meta: unknown = error.meta;
  if (typeof meta !== "object" || meta === null || !("driverAdapterError" in meta)) return undefined;
  const adapterError: unknown = meta.driverAdapterError;
  if (typeof adapterError !== "object" || adapterError === null || !("cause" in adapterError)) return undefined;
  return adapterError.cause;
}

async function inventoryRow() {
  return db.inventory.findUniqueOrThrow({ where: { productId }, select: { onHand: true, reserved: true } });
}

async function ledger() {
  return db.walletEntry.findMany({
    orderBy: { createdAt: "asc" },
    select: { id: true, kind: true, amountCents: true, balanceAfterCents: true, idempotencyKey: true, description: true },
  });
}

describe("inventory", () => {
  it("accepts a legal change (the checks do not refuse everything)", async () => {
    await expect(db.$executeRawUnsafe(`UPDATE inventory SET on_hand = 4, reserved = 4 WHERE product_id = $1::uuid`, productId)).resolves.toBe(1);
    expect(await inventoryRow()).toEqual({ onHand: 4, reserved: 4 });
  });

  it.each([
    { name: "on_hand = -1", sql: "UPDATE inventory SET on_hand = -1 WHERE product_id = $1::uuid", constraint: "inventory_on_hand_not_negative" },
    { name: "reserved = -1", sql: "UPDATE inventory SET reserved = -1 WHERE product_id = $1::uuid", constraint: "inventory_reserved_not_negative" },
    { name: "reserved > on_hand", sql: "UPDATE inventory SET reserved = 6 WHERE product_id = $1::uuid", constraint: "inventory_reserved_within_on_hand" },
    { name: "on_hand below reserved", sql: "UPDATE inventory SET on_hand = 1 WHERE product_id = $1::uuid", constraint: "inventory_reserved_within_on_hand" },
    { name: "selling one more than on hand", sql: "UPDATE inventory SET on_hand = on_hand - 6 WHERE product_id = $1::uuid", constraint: "inventory_on_hand_not_negative" },
  ])("refuses $name and leaves the row unchanged", async ({ sql, constraint }) => {
    await expect(db.$executeRawUnsafe(sql, productId)).rejects.toThrow(constraint);
    expect(await inventoryRow()).toEqual({ onHand: 5, reserved: 2 });
  });

  it("refuses a new inventory row with negative stock", async () => {
    const other = await db.product.create({
      data: { slug: "pocket-unicorn", name: "Pocket", description: "Small.", colour: "#a5f3fc", listPriceCents: 3_000, salePriceCents: 1_999 },
    });

    await expect(
      db.$executeRaw`INSERT INTO inventory (product_id, on_hand, reserved) VALUES (${other.id}::uuid, -3, 0)`,
    ).rejects.toThrow("inventory_on_hand_not_negative");
    expect(await db.inventory.count({ where: { productId: other.id } })).toBe(0);
  });
});

describe("products", () => {
  it.each([
    { name: "a sale price above the list price", sql: "UPDATE products SET sale_price_cents = 24001 WHERE id = $1::uuid", constraint: "products_sale_not_above_list" },
    { name: "a zero sale price", sql: "UPDATE products SET sale_price_cents = 0 WHERE id = $1::uuid", constraint: "products_prices_positive" },
    { name: "a negative list price", sql: "UPDATE products SET list_price_cents = -1, sale_price_cents = -2 WHERE id = $1::uuid", constraint: "products_prices_positive" },
  ])("refuses $name", async ({ sql, constraint }) => {
    await expect(db.$executeRawUnsafe(sql, productId)).rejects.toThrow(constraint);
    expect(await db.product.findUniqueOrThrow({ where: { id: productId } })).toMatchObject({
      listPriceCents: 24_000,
      salePriceCents: 12_000,
    });
  });
});

describe("wallets", () => {
  it("refuses a negative balance and leaves the balance unchanged", async () => {
    await expect(
      db.$executeRaw`UPDATE wallets SET balance_cents = -1 WHERE id = ${walletId}::uuid`,
    ).rejects.toThrow("wallets_balance_not_negative");
    await expect(
      db.$executeRaw`UPDATE wallets SET balance_cents = balance_cents - 1001 WHERE id = ${walletId}::uuid`,
    ).rejects.toThrow("wallets_balance_not_negative");
    expect((await db.wallet.findUniqueOrThrow({ where: { id: walletId } })).balanceCents).toBe(1_000);
  });

  it("refuses to delete a wallet that has ledger entries", async () => {
    await expect(db.$executeRaw`DELETE FROM wallets WHERE id = ${walletId}::uuid`).rejects.toThrow();
    expect(await db.wallet.count({ where: { id: walletId } })).toBe(1);
    expect(await ledger()).toHaveLength(1);
  });
});

describe("wallet_entries", () => {
  function insertEntry(kind: string, amountCents: number, balanceAfterCents: number, key: string) {
    return db.$executeRaw`
      INSERT INTO wallet_entries (wallet_id, kind, amount_cents, balance_after_cents, idempotency_key, description)
      VALUES (${walletId}::uuid, ${kind}::wallet_entry_kind, ${amountCents}, ${balanceAfterCents}, ${key}, 'test')`;
  }

  it("accepts legal entries of every kind (the checks do not refuse everything)", async () => {
    await expect(insertEntry("debit", -300, 700, "test:debit")).resolves.toBe(1);
    await expect(insertEntry("refund", 300, 1_000, "test:refund")).resolves.toBe(1);
    await expect(insertEntry("deposit", 1, 1_001, "test:deposit")).resolves.toBe(1);
    expect((await ledger()).map((row) => [row.kind, row.amountCents])).toEqual([
      ["deposit", 1_000],
      ["debit", -300],
      ["refund", 300],
      ["deposit", 1],
    ]);
  });

  it.each([
    { name: "a debit with a positive amount", kind: "debit", amount: 300, after: 1_300, constraint: "wallet_entries_sign_matches_kind" },
    { name: "a debit of zero", kind: "debit", amount: 0, after: 1_000, constraint: "wallet_entries_sign_matches_kind" },
    { name: "a deposit with a negative amount", kind: "deposit", amount: -300, after: 700, constraint: "wallet_entries_sign_matches_kind" },
    { name: "a refund of zero", kind: "refund", amount: 0, after: 1_000, constraint: "wallet_entries_sign_matches_kind" },
    { name: "a negative balance after", kind: "debit", amount: -1_001, after: -1, constraint: "wallet_entries_balance_after_not_negative" },
  ])("refuses $name", async ({ kind, amount, after, constraint }) => {
    const before = await ledger();

    await expect(insertEntry(kind, amount, after, "test:refused")).rejects.toThrow(constraint);

    expect(await ledger()).toEqual(before);
  });

  it("refuses a second entry with the same idempotency key", async () => {
    await expect(insertEntry("deposit", 500, 1_500, "test:opening")).rejects.toThrow();
    expect(await ledger()).toHaveLength(1);
  });

  it.each([
    { name: "UPDATE of the amount", sql: "UPDATE wallet_entries SET amount_cents = 999999 WHERE id = $1::uuid" },
    { name: "UPDATE of the description only", sql: "UPDATE wallet_entries SET description = 'edited' WHERE id = $1::uuid" },
    { name: "UPDATE to the same values", sql: "UPDATE wallet_entries SET amount_cents = amount_cents WHERE id = $1::uuid" },
    { name: "DELETE of one entry", sql: "DELETE FROM wallet_entries WHERE id = $1::uuid" },
    { name: "DELETE of every entry", sql: "DELETE FROM wallet_entries WHERE id = $1::uuid OR true" },
  ])("refuses $name: the ledger is append-only", async ({ sql }) => {
    const before = await ledger();

    await expect(db.$executeRawUnsafe(sql, entryId)).rejects.toThrow(/wallet_entries is append-only: (UPDATE|DELETE) refused/);

    expect(await ledger()).toEqual(before);
  });

  it("refuses edits made through the Prisma client too", async () => {
    const before = await ledger();

    // Prisma reports the trigger's restrict_violation (SQLSTATE 23001) as P2003 "Foreign key constraint violated";
    // the trigger's own message survives only in the driver adapter's cause.
    for (const attempt of [
      () => db.walletEntry.update({ where: { id: entryId }, data: { amountCents: 5 } }),
      () => db.walletEntry.delete({ where: { id: entryId } }),
      () => db.walletEntry.deleteMany({}),
    ]) {
      const error: unknown = await attempt().then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(driverCause(error)).toMatchObject({
        originalCode: "23001",
        originalMessage: expect.stringMatching(/^wallet_entries is append-only: (UPDATE|DELETE) refused$/),
      });
    }

    expect(await ledger()).toEqual(before);
  });
});
