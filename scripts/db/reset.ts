import { disconnectDb } from "@/server/db";
import { resetShop } from "@/prisma/seed/seed-shop";

/** `npm run db:reset`: back to the Cyber Monday starting state (5 Classic Unicorns, demo wallets). */
async function main() {
  await resetShop((message) => console.log(`✓ ${message}`));
  console.log("The shop is back at the Cyber Monday starting state.");
}

main()
  .catch((error: unknown) => {
    console.error(`Reset failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  })
  .finally(disconnectDb);
