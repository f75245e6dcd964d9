import { db } from "@/server/db";
import { hashPassword } from "@/server/retail/customers/passwords";
import { topUpWallet } from "@/server/retail/wallet/top-up-wallet";
import { DEMO_CUSTOMERS, DEMO_PRODUCTS, type DemoCustomer } from "./demo-data";
import { PROJECTION_CHECKPOINTS_TABLE, rewindProjectionCheckpoints, seedLoyalty } from "./seed-loyalty";

/**
 * Creates whatever of the demo state is missing. Idempotent: products are brought back to their demo prices, but
 * stock, accounts and balances that already exist are left as they are (use `resetShop` for a fresh start).
 */
export async function seedShop(onProgress: (message: string) => void = () => {}): Promise<void> {
  for (const product of DEMO_PRODUCTS) {
    const { stock, ...fields } = product;
    await db.product.upsert({
      where: { slug: product.slug },
      update: fields,
      create: { ...fields, inventory: { create: { onHand: stock } } },
    });
  }
  onProgress(`${DEMO_PRODUCTS.length} unicorns in the catalog`);

  const customers: { id: string; demo: DemoCustomer }[] = [];
  for (const demo of DEMO_CUSTOMERS) {
    const existing = await db.customer.findUnique({ where: { email: demo.email }, select: { id: true } });
    const customer =
      existing ??
      (await db.customer.create({
        data: {
          email: demo.email,
          name: demo.name,
          role: demo.role,
          passwordHash: await hashPassword(demo.password),
          wallet: { create: {} },
        },
        select: { id: true },
      }));
    if (demo.openingBalanceCents > 0) {
      // The same key every time, so seeding twice deposits once.
      await topUpWallet({
        customerId: customer.id,
        amountCents: demo.openingBalanceCents,
        idempotencyKey: "demo-opening-balance",
      });
    }
    customers.push({ id: customer.id, demo });
  }
  onProgress(`${DEMO_CUSTOMERS.length} demo accounts with wallets`);

  const loyalty = await seedLoyalty({ customers, now: new Date() });
  onProgress(`${loyalty.rules} loyalty campaign rules and ${loyalty.gifts} welcome-back gifts of points`);
}

/** Tables whose rows come with the schema rather than with the shop's use: emptying the shop keeps them. */
const SCHEMA_TABLES = ["_prisma_migrations", PROJECTION_CHECKPOINTS_TABLE];

/**
 * Empties every table of the shop (the tables of every context, current and future) and rewinds Loyalty's projection
 * checkpoints, in one transaction. TRUNCATE is not a row DELETE, so the append-only triggers (wallet ledger, points
 * log) do not fire. The checkpoints are rewound first: a loyalty worker projecting right now is waited for, and one
 * starting meanwhile skips, rather than either deadlocking with the TRUNCATE.
 */
export async function emptyShop(): Promise<number> {
  const tables = await db.$queryRaw<{ tablename: string }[]>`
    SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> ALL(${SCHEMA_TABLES}::text[])`;
  const list = tables.map(({ tablename }) => `"${tablename.replaceAll('"', '""')}"`).join(", ");
  const truncate = () =>
    db.$transaction([
      rewindProjectionCheckpoints(),
      ...(tables.length > 0 ? [db.$executeRawUnsafe(`TRUNCATE ${list} RESTART IDENTITY CASCADE`)] : []),
    ]);
  // The TRUNCATE locks its tables one by one, so a running worker's transaction that reads several of them in another
  // order (the invariant auditor, a saga batch) can deadlock with it. PostgreSQL then aborts the TRUNCATE alone, and
  // nothing of it was done: it is run again.
  for (let attempt = 1; ; attempt++) {
    try {
      await truncate();
      return tables.length;
    } catch (error) {
      if (attempt >= 5 || !isDeadlock(error)) throw error;
    }
  }
}

function isDeadlock(error: unknown): boolean {
  return error instanceof Error && error.message.includes("40P01");
}

/** Back to the Cyber Monday start: empties the shop, then seeds. */
export async function resetShop(onProgress: (message: string) => void = () => {}): Promise<void> {
  onProgress(`emptied ${await emptyShop()} tables`);
  await seedShop(onProgress);
}
