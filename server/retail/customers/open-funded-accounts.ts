import { randomUUID } from "node:crypto";
import { db } from "@/server/db";

/**
 * Opens many accounts at once, each with a wallet holding an opening deposit written to the ledger as a top-up writes
 * it — one transaction for them all. For crowds: load tests and the demo's flash-sale simulator, where signing up
 * hundreds one by one would spend the time hashing passwords.
 */
export async function openFundedAccounts(options: {
  accounts: readonly { email: string; name: string; balanceCents: number }[];
  /** One hash for them all (or one no password matches, for shoppers who never sign in). */
  passwordHash: string;
}): Promise<string[]> {
  const rows = options.accounts.map((account) => ({ ...account, customerId: randomUUID(), walletId: randomUUID() }));
  await db.$transaction(async (tx) => {
    await tx.customer.createMany({
      data: rows.map((row) => ({ id: row.customerId, email: row.email, name: row.name, passwordHash: options.passwordHash })),
    });
    await tx.wallet.createMany({
      data: rows.map((row) => ({ id: row.walletId, customerId: row.customerId, balanceCents: row.balanceCents })),
    });
    await tx.walletEntry.createMany({
      data: rows
        .filter((row) => row.balanceCents > 0)
        .map((row) => ({
          walletId: row.walletId,
          kind: "deposit" as const,
          amountCents: row.balanceCents,
          balanceAfterCents: row.balanceCents,
          idempotencyKey: `top-up:${row.customerId}:opening-balance`,
          description: "Wallet top-up",
        })),
    });
  });
  return rows.map((row) => row.customerId);
}
