import { db, disconnectDb } from "@/server/db";
import { resetShop } from "@/prisma/seed/seed-shop";

/**
 * `npm run db:reset`: back to the Cyber Monday starting state (5 Classic Unicorns, demo wallets).
 *
 * `--without-purchase-limits` (scripts/e2e.sh) then lifts every product's per-customer limit: the e2e journeys buy
 * the Classic Unicorn again and again with the same demo accounts. The limit itself is tested by the integration
 * tests (server/retail/checkout/checkout-purchase-limit.int.spec.ts).
 */
async function main() {
  await resetShop((message) => console.log(`✓ ${message}`));
  if (process.argv.includes("--without-purchase-limits")) {
    const { count } = await db.product.updateMany({ where: { maxPerCustomer: { not: null } }, data: { maxPerCustomer: null } });
    console.log(`✓ lifted the per-customer limit of ${count} products`);
  }
  console.log("The shop is back at the Cyber Monday starting state.");
}

main()
  .catch((error: unknown) => {
    console.error(`Reset failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  })
  .finally(disconnectDb);
