import type pg from "pg";
import type { SagaStatus } from "@/server/saga/saga-status";
import type { AppEnv } from "../lib/bench-env";
import { benchClient, insertCustomersWithWallets, postgresSettings, resetBenchShop, signInCustomers } from "../lib/bench-db";
import { fmt, step } from "../lib/report";
import type { FlashSaleOptions } from "./options";

export const PRODUCT_SLUG = "classic-unicorn";
export const EXPECTED_STOCK = 5;
export const EXPECTED_PRICE_CENTS = 12_000;
export const SHOPPER_WALLET_CENTS = 20_000; // $200.00: one Classic Unicorn at $120.00, not two

/** What "buy" answered: a checkout started, sold out at once (409), or anything else. */
export type StartAnswer = "started" | "sold-out" | "other";
/** How a shopper's attempt ended: its saga's final status, turned away at start, an error, or no answer in time. */
export type Final = SagaStatus | "sold-out" | "error" | "unfinished";

/** One signed-in shopper and what happened to them (ms from the moment every "buy" was pressed). */
export type Shopper = {
  customerId: string;
  cookie: string;
  /** When this shopper pressed "buy", ms from the start of the sale. */
  arrivedMs?: number;
  answer?: StartAnswer;
  startStatus?: number;
  startAnsweredMs?: number;
  checkoutId?: string;
  final?: Final;
  finalMs?: number;
  failureReason?: string;
  polls: number;
  error?: string;
};

export type SaleShop = {
  admin: pg.Client;
  productId: string;
  otherStockBefore: Record<string, number>;
  postgres: Record<string, string>;
  shoppers: Shopper[];
};

/**
 * The bench database reset to the Cyber Monday state (checked: 5 Classic Unicorns at $120.00), plus the shoppers,
 * each with a wallet that affords one unicorn (one bulk insert) and a session of their own (another).
 */
export async function prepareSaleShop(
  options: FlashSaleOptions,
  appEnv: AppEnv,
  run: { databaseName: string; logDir: string },
): Promise<SaleShop> {
  step(`Resetting ${run.databaseName} to the Cyber Monday state`);
  await resetBenchShop(appEnv, { redisUrl: options.redisUrl, logDir: run.logDir, cwd: options.appDir });
  const admin = await benchClient(options.databaseUrl);
  const product = (
    await admin.query<{ id: string; sale_price_cents: number; on_hand: number; reserved: number }>(
      `SELECT p.id::text, p.sale_price_cents, i.on_hand, i.reserved FROM products p JOIN inventory i ON i.product_id = p.id WHERE p.slug = $1`,
      [PRODUCT_SLUG],
    )
  ).rows[0];
  if (!product || product.on_hand !== EXPECTED_STOCK || product.sale_price_cents !== EXPECTED_PRICE_CENTS) {
    throw new Error(`resetShop did not leave ${EXPECTED_STOCK} Classic Unicorns at $120.00: ${JSON.stringify(product)}`);
  }
  const otherStockBefore = await otherProductsStock(admin);
  const postgres = await postgresSettings(admin);
  let phaseStart = performance.now();
  const customerIds = await insertCustomersWithWallets(admin, {
    count: options.shoppers,
    balanceCents: SHOPPER_WALLET_CENTS,
    emailPrefix: "flash-shopper",
  });
  await admin.query("ANALYZE");
  console.log(`  ✓ ${customerIds.length} shoppers with $200.00 wallets (${fmt(performance.now() - phaseStart)} ms)`);
  phaseStart = performance.now();
  // Signed in outside the timed part (bench-db.ts' signInCustomers).
  const cookies = await signInCustomers(admin, customerIds);
  const shoppers: Shopper[] = customerIds.map((customerId, index) => ({ customerId, cookie: cookies[index] as string, polls: 0 }));
  console.log(`  ✓ ${shoppers.length} shoppers signed in (${fmt(performance.now() - phaseStart)} ms)`);
  return { admin, productId: product.id, otherStockBefore, postgres, shoppers };
}

/** Every other product's stock in one number each (on_hand, reserved), to check the sale left them alone. */
export async function otherProductsStock(client: pg.Client): Promise<Record<string, number>> {
  const { rows } = await client.query<{ slug: string; on_hand: number; reserved: number }>(
    `SELECT p.slug, i.on_hand, i.reserved FROM products p JOIN inventory i ON i.product_id = p.id WHERE p.slug <> $1 ORDER BY p.slug`,
    [PRODUCT_SLUG],
  );
  return Object.fromEntries(rows.map((row) => [row.slug, row.on_hand * 1_000_000 + row.reserved]));
}
