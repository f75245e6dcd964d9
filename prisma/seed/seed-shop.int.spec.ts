import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "@/server/db";
import { createApiClient } from "@/server/testing/api-client";
import { signUpTestCustomer, truncateShop } from "@/server/testing/database";
import { topUpWallet } from "@/server/retail/wallet/top-up-wallet";
import { handlePointCommand } from "@/server/loyalty/event-store/handle-point-command";
import { projectPointEvents } from "@/server/loyalty/projections/project-point-events";
import { CYBER_MONDAY_DOUBLE_RULE_ID, THRESHOLD_100_RULE_ID } from "@/server/loyalty/rules/seeded-campaign-rules";
import { resetShop, seedShop } from "./seed-shop";

/** Everything the demo depends on, without ids or timestamps (those differ from one seeding to the next). */
async function snapshot() {
  const products = await db.product.findMany({
    orderBy: { slug: "asc" },
    select: {
      slug: true,
      name: true,
      description: true,
      colour: true,
      listPriceCents: true,
      salePriceCents: true,
      inventory: { select: { onHand: true, reserved: true } },
    },
  });
  const customers = await db.customer.findMany({
    orderBy: { email: "asc" },
    select: {
      email: true,
      name: true,
      role: true,
      wallet: {
        select: {
          balanceCents: true,
          _count: { select: { entries: true } },
          entries: {
            orderBy: { balanceAfterCents: "asc" },
            select: { kind: true, amountCents: true, balanceAfterCents: true, description: true },
          },
        },
      },
    },
  });
  // Loyalty without times: a gift's expiry is counted from the moment it was seeded.
  const loyalty = {
    rules: await db.loyaltyCampaignRule.findMany({ orderBy: { id: "asc" }, select: { id: true, kind: true, enabled: true } }),
    redemptionRule: await db.loyaltyRedemptionRule.findMany({ select: { pointsPerStep: true, centsPerStep: true, maxDiscountPercent: true } }),
    events: await db.$queryRaw<{ email: string; version: number; type: string; points: number; reason: string }[]>`
      SELECT c.email, e.version, e.type, (e.data->>'points')::int AS points, e.data->>'reason' AS reason
        FROM loyalty_point_events e JOIN customers c ON c.id = e.stream_id ORDER BY c.email, e.version`,
    processedMessages: await db.loyaltyProcessedMessage.count(),
    readModels: await db.$queryRaw<{ rows: number }[]>`
      SELECT (SELECT count(*) FROM loyalty_balances)::int + (SELECT count(*) FROM loyalty_lots)::int
           + (SELECT count(*) FROM loyalty_history)::int AS rows`,
    checkpoints: await db.$queryRaw<{ projection: string; position: string }[]>`
      SELECT projection, position::text FROM loyalty_projection_checkpoints ORDER BY projection`,
  };
  const tables = {
    products: await db.product.count(),
    inventory: await db.inventory.count(),
    customers: await db.customer.count(),
    wallets: await db.wallet.count(),
    walletEntries: await db.walletEntry.count(),
  };
  return { products, customers, loyalty, tables };
}

type Snapshot = Awaited<ReturnType<typeof snapshot>>;

let seeded: Snapshot;

beforeAll(async () => {
  await truncateShop();
  await seedShop();
  seeded = await snapshot();
});
afterAll(disconnectDb);

function product(state: Snapshot, slug: string) {
  const found = state.products.find((row) => row.slug === slug);
  if (!found) throw new Error(`No product ${slug} in the snapshot`);
  return found;
}

describe("seedShop", () => {
  it("seeds something (the snapshot is not empty)", () => {
    expect(seeded.tables.products).toBeGreaterThan(0);
    expect(seeded.tables.customers).toBeGreaterThan(0);
    expect(seeded.tables.walletEntries).toBeGreaterThan(0);
  });

  it("leaves exactly the same state when run a second time", async () => {
    await seedShop();

    expect(await snapshot()).toEqual(seeded);
  });

  it("has the Classic Unicorn at $240.00 list, $120.00 sale, 5 in stock", () => {
    expect(product(seeded, "classic-unicorn")).toMatchObject({
      name: "Classic Unicorn",
      listPriceCents: 24_000,
      salePriceCents: 12_000,
      inventory: { onHand: 5, reserved: 0 },
    });
  });

  it("has at least 3 other unicorns, one under $100 and one over $1,000, each stocked and fairly priced", () => {
    const others = seeded.products.filter((row) => row.slug !== "classic-unicorn");
    expect(others.length).toBeGreaterThanOrEqual(3);
    expect(others.some((row) => row.salePriceCents < 10_000)).toBe(true);
    expect(others.some((row) => row.salePriceCents > 100_000)).toBe(true);
    for (const row of seeded.products) {
      expect(row.inventory, row.slug).not.toBeNull();
      expect(row.salePriceCents, row.slug).toBeGreaterThan(0);
      expect(row.salePriceCents, row.slug).toBeLessThanOrEqual(row.listPriceCents);
    }
  });

  it("has a customer who can afford the Classic Unicorn and one who cannot", () => {
    const price = product(seeded, "classic-unicorn").salePriceCents;
    const shoppers = seeded.customers.filter((row) => row.role === "customer");
    const balances = shoppers.map((row) => row.wallet?.balanceCents ?? 0);
    expect(balances.some((balance) => balance >= price)).toBe(true);
    expect(balances.some((balance) => balance < price)).toBe(true);
    // Each opening balance is one deposit in the ledger, so balance and ledger agree.
    for (const row of seeded.customers) {
      const wallet = row.wallet;
      expect(wallet, row.email).not.toBeNull();
      const ledgerTotal = (wallet?.entries ?? []).reduce((sum, entry) => sum + entry.amountCents, 0);
      expect(ledgerTotal, row.email).toBe(wallet?.balanceCents);
      expect(wallet?._count.entries, row.email).toBe(wallet?.balanceCents === 0 ? 0 : 1);
    }
  });

  it("has exactly one admin and one read-only support account", () => {
    expect(seeded.customers.filter((row) => row.role === "admin")).toHaveLength(1);
    expect(seeded.customers.filter((row) => row.role === "support").map((row) => row.email)).toEqual(["support@unicorn.test"]);
  });

  it("seeds accounts whose demo passwords work through the API", async () => {
    const ada = createApiClient();
    const response = await ada.mutate("auth.signIn", { email: "ada@unicorn.test", password: "cybermonday" });

    expect(response.status).toBe(200);
    expect((await ada.query("wallet.get")).data().balanceCents).toBe(
      seeded.customers.find((row) => row.email === "ada@unicorn.test")?.wallet?.balanceCents,
    );
  });
});

describe("seedShop: loyalty", () => {
  it("saves the launch campaign rules, enabled", () => {
    expect(seeded.loyalty.rules).toEqual(
      [
        { id: THRESHOLD_100_RULE_ID, kind: "threshold", enabled: true },
        { id: CYBER_MONDAY_DOUBLE_RULE_ID, kind: "multiplier", enabled: true },
      ].sort((a, b) => a.id.localeCompare(b.id)),
    );
  });

  it("saves the launch redemption rule: 100 points = $5.00, at most half of an order", () => {
    expect(seeded.loyalty.redemptionRule).toEqual([{ pointsPerStep: 100, centsPerStep: 500, maxDiscountPercent: 50 }]);
  });

  it("gives pat a welcome-back gift of 250 points expiring in 10 days, and nobody else any points", async () => {
    expect(seeded.loyalty.events).toEqual([
      { email: "pat@unicorn.test", version: 1, type: "PointsAdjusted", points: 250, reason: "Welcome back gift" },
    ]);
    const [gift] = await db.$queryRaw<{ expires_at: string; adjusted_at: string }[]>`
      SELECT data->>'expiresAt' AS expires_at, data->>'adjustedAt' AS adjusted_at FROM loyalty_point_events`;
    const days = (Date.parse(gift!.expires_at) - Date.parse(gift!.adjusted_at)) / 86_400_000;
    expect(days).toBe(10);
  });

  it("the gift reaches the read models once projected, as a lot that expires soon", async () => {
    await projectPointEvents();
    const lots = await db.loyaltyLot.findMany({ select: { points: true, remaining: true, expired: true } });
    expect(lots).toEqual([{ points: 250, remaining: 250, expired: false }]);
  });
});

describe("resetShop", () => {
  it("returns to exactly the seeded state after stock, prices, balances, accounts and rules changed", async () => {
    const classic = await db.product.findUniqueOrThrow({ where: { slug: "classic-unicorn" } });
    await db.inventory.update({ where: { productId: classic.id }, data: { onHand: 1, reserved: 1 } });
    await db.product.update({ where: { slug: "pocket-unicorn" }, data: { salePriceCents: 1 } });
    await db.product.delete({ where: { slug: "golden-unicorn" } });
    await db.product.create({
      data: { slug: "extra-unicorn", name: "Extra", description: "Not in the demo.", colour: "#000000", listPriceCents: 100, salePriceCents: 100 },
    });
    const ada = await db.customer.findUniqueOrThrow({ where: { email: "ada@unicorn.test" } });
    await topUpWallet({ customerId: ada.id, amountCents: 5_000, idempotencyKey: "before-reset" });
    await db.customer.update({ where: { email: "pat@unicorn.test" }, data: { role: "admin", name: "Renamed" } });
    await signUpTestCustomer();
    await db.loyaltyCampaignRule.update({ where: { id: CYBER_MONDAY_DOUBLE_RULE_ID }, data: { enabled: false } });
    await db.loyaltyRedemptionRule.update({ where: { id: 1 }, data: { centsPerStep: 100, maxDiscountPercent: 20 } });
    await handlePointCommand({
      customerId: ada.id,
      messageId: "before-reset",
      now: new Date(),
      command: { type: "AdjustPoints", data: { adjustmentId: "before-reset", points: 5, reason: "test", adjustedBy: "test" } },
    });
    await projectPointEvents();
    expect(await snapshot()).not.toEqual(seeded);

    await resetShop();

    expect(await snapshot()).toEqual(seeded);
  });

  it("leaves nothing of the changes behind, not even ledger rows (the append-only trigger does not block a reset)", async () => {
    await topUpWallet({
      customerId: (await db.customer.findUniqueOrThrow({ where: { email: "pat@unicorn.test" } })).id,
      amountCents: 1_234,
      idempotencyKey: "before-second-reset",
    });

    await resetShop();

    expect(await db.walletEntry.count({ where: { amountCents: 1_234 } })).toBe(0);
    expect(await snapshot()).toEqual(seeded);
  });
});
