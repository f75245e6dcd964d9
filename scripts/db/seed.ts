import { disconnectDb } from "@/server/db";
import { seedShop } from "@/prisma/seed/seed-shop";

/** `npm run db:seed`: creates the demo catalog and accounts that are missing. Safe to run again. */
async function main() {
  await seedShop((message) => console.log(`✓ ${message}`));
  console.log("Seeded the Cyber Monday demo.");
}

main()
  .catch((error: unknown) => {
    console.error(`Seeding failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  })
  .finally(disconnectDb);
