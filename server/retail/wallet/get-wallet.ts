import { DomainError } from "@/server/errors";
import type { WalletEntryKind } from "@/server/generated/prisma/enums";
import { sql, sqlPool } from "@/server/sql";

export type WalletEntryView = {
  id: string;
  kind: WalletEntryKind;
  amountCents: number;
  balanceAfterCents: number;
  description: string;
  createdAt: Date;
};

export type WalletView = { balanceCents: number; entries: WalletEntryView[] };

type WalletRow = { balanceCents: number; entries: (Omit<WalletEntryView, "createdAt"> & { createdAt: string })[] };

/**
 * A customer's balance and their most recent ledger entries, newest first, in one statement: every wallet page and
 * every balance shown after a top-up asks this (through Prisma it cost as much CPU as the rest of the request).
 */
export async function getWallet(options: { customerId: string; limit?: number }): Promise<WalletView> {
  const [wallet] = await sqlPool.rows<WalletRow>(sql`
    SELECT w.balance_cents AS "balanceCents",
           COALESCE((SELECT json_agg(json_build_object('id', e.id, 'kind', e.kind, 'amountCents', e.amount_cents,
                                                       'balanceAfterCents', e.balance_after_cents,
                                                       'description', e.description, 'createdAt', e.created_at)
                                     ORDER BY e.created_at DESC, e.id DESC)
                       FROM (SELECT * FROM wallet_entries WHERE wallet_id = w.id
                              ORDER BY created_at DESC, id DESC LIMIT ${options.limit ?? 50}::int) e), '[]'::json) AS entries
      FROM wallets w WHERE w.customer_id = ${options.customerId}::uuid`);
  if (!wallet) throw new DomainError("NOT_FOUND", "You don't have a wallet yet.");
  return { balanceCents: wallet.balanceCents, entries: wallet.entries.map((entry) => ({ ...entry, createdAt: new Date(entry.createdAt) })) };
}
