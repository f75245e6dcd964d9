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

/** The purchase a ledger entry paid or refunded: its checkout, and its order once there is one. */
export type EntryPurchase = { checkoutId: string; orderId: string | null };

/** An entry as the wallet page lists it: a payment or a refund names the purchase it belongs to (a top-up, none). */
export type WalletLedgerEntryView = WalletEntryView & { purchase: EntryPurchase | null };

export type WalletView = { balanceCents: number; entries: WalletLedgerEntryView[] };

type WalletRow = { balanceCents: number; entries: (Omit<WalletLedgerEntryView, "createdAt"> & { createdAt: string })[] };

/**
 * A checkout's payment and refund are keyed `saga:<checkout id>:debit` and `…:refund` (debitKeyFor, refundKeyFor in
 * server/retail/checkout/debit-wallet-step.ts): the key is how an entry knows its purchase, with no column for it.
 */
const CHECKOUT_OF_LEDGER_KEY = "^saga:([0-9a-f-]{36}):(debit|refund)$";

/**
 * A customer's balance and their most recent ledger entries, newest first, each with the purchase it belongs to, in
 * one statement: every wallet page and every balance shown after a top-up asks this (through Prisma it cost as much
 * CPU as the rest of the request).
 */
export async function getWallet(options: { customerId: string; limit?: number }): Promise<WalletView> {
  const [wallet] = await sqlPool.rows<WalletRow>(sql`
    SELECT w.balance_cents AS "balanceCents",
           COALESCE((SELECT json_agg(json_build_object('id', e.id, 'kind', e.kind, 'amountCents', e.amount_cents,
                                                       'balanceAfterCents', e.balance_after_cents,
                                                       'description', e.description, 'createdAt', e.created_at,
                                                       'purchase', CASE WHEN e.checkout_id IS NULL THEN NULL ELSE
                                                         json_build_object('checkoutId', e.checkout_id, 'orderId', o.id) END)
                                     ORDER BY e.created_at DESC, e.id DESC)
                       FROM (SELECT *, substring(idempotency_key FROM ${CHECKOUT_OF_LEDGER_KEY})::uuid AS checkout_id
                               FROM wallet_entries WHERE wallet_id = w.id
                              ORDER BY created_at DESC, id DESC LIMIT ${options.limit ?? 50}::int) e
                       LEFT JOIN orders o ON o.checkout_id = e.checkout_id), '[]'::json) AS entries
      FROM wallets w WHERE w.customer_id = ${options.customerId}::uuid`);
  if (!wallet) throw new DomainError("NOT_FOUND", "You don't have a wallet yet.");
  return { balanceCents: wallet.balanceCents, entries: wallet.entries.map((entry) => ({ ...entry, createdAt: new Date(entry.createdAt) })) };
}
