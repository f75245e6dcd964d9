import { randomUUID } from "node:crypto";
import { emptyShop } from "@/prisma/seed/seed-shop";
import type { Prisma } from "@/server/generated/prisma/client";
import { db } from "@/server/db";
import { createApiClient, type ApiClient, type OutputOf } from "./api-client";
import { createMemorySession } from "./memory-session";

/**
 * Locks rows in a transaction of its own and holds them until `release()`, as another process in the middle of a
 * write would: `const held = await holdRowLocks((tx) => tx.$queryRaw\`SELECT … FOR UPDATE\`)`.
 */
export async function holdRowLocks(lock: (tx: Prisma.TransactionClient) => Promise<unknown>): Promise<{ release(): Promise<void> }> {
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked: () => void = () => undefined;
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  const holder = db.$transaction(
    async (tx) => {
      await lock(tx);
      locked();
      await released;
    },
    { timeout: 60_000 },
  );
  await Promise.race([isLocked, holder]);
  return {
    async release() {
      release();
      await holder;
    },
  };
}

/** Empties every table of the shop (the migration history stays), so a test starts from nothing. */
export async function truncateShop(): Promise<void> {
  await emptyShop();
}

/** A unicorn for a test, priced like the Classic Unicorn unless told otherwise. */
export function createTestProduct(
  options: {
    slug?: string;
    onHand?: number;
    reserved?: number;
    listPriceCents?: number;
    salePriceCents?: number;
    maxPerCustomer?: number | null;
  } = {},
) {
  return db.product.create({
    data: {
      slug: options.slug ?? "classic-unicorn",
      name: "Classic Unicorn",
      description: "A unicorn.",
      colour: "#f0abfc",
      listPriceCents: options.listPriceCents ?? 24_000,
      salePriceCents: options.salePriceCents ?? 12_000,
      maxPerCustomer: options.maxPerCustomer ?? null,
      inventory: { create: { onHand: options.onHand ?? 5, reserved: options.reserved ?? 0 } },
    },
  });
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

/** A member of staff of that kind, signed up and signed in through the API like any customer. */
export async function signUpStaffMember(role: "admin" | "support"): Promise<TestCustomer> {
  const member = await signUpTestCustomer({ name: role });
  await db.customer.update({ where: { id: member.profile.id }, data: { role } });
  return member;
}
