import { randomUUID } from "node:crypto";
import { db } from "@/server/db";
import { createApiClient, type ApiClient, type OutputOf } from "./api-client";
import { createMemorySession } from "./memory-session";

/**
 * Empties every table of the shop (the migration history stays), so a test starts from nothing. The same statement
 * prisma/seed/seed-shop.ts's resetShop uses, without the seeding.
 */
export async function truncateShop(): Promise<void> {
  const tables = await db.$queryRaw<{ tablename: string }[]>`
    SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`;
  if (tables.length === 0) return;
  const list = tables.map(({ tablename }) => `"${tablename.replaceAll('"', '""')}"`).join(", ");
  await db.$executeRawUnsafe(`TRUNCATE ${list} RESTART IDENTITY CASCADE`);
}

/** An email no other test customer has. */
export function uniqueEmail(label = "shopper"): string {
  return `${label}-${randomUUID().slice(0, 8)}@unicorn.test`;
}

export const TEST_PASSWORD = "correct-horse-battery";

export type TestCustomer = {
  client: ApiClient;
  profile: OutputOf<"auth.signUp">;
  email: string;
  password: string;
};

/** Signs a new customer up through the API, in a session of their own; fails when the API refuses. */
export async function signUpTestCustomer(
  options: { email?: string; name?: string; password?: string } = {},
): Promise<TestCustomer> {
  const email = options.email ?? uniqueEmail();
  const password = options.password ?? TEST_PASSWORD;
  const client = createApiClient(createMemorySession());
  const response = await client.mutate("auth.signUp", { email, name: options.name ?? "Test Shopper", password });
  if (response.status !== 200) throw new Error(`Sign-up of ${email} failed with HTTP ${response.status}: ${response.text}`);
  return { client, profile: response.data(), email, password };
}

/** Row counts of the tables a write would touch: compare before and after to prove nothing was written. */
export async function countRows(): Promise<{ customers: number; wallets: number; walletEntries: number }> {
  const [customers, wallets, walletEntries] = await Promise.all([
    db.customer.count(),
    db.wallet.count(),
    db.walletEntry.count(),
  ]);
  return { customers, wallets, walletEntries };
}
