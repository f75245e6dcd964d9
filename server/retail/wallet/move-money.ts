import { DomainError } from "@/server/errors";
import type { WalletEntryKind } from "@/server/generated/prisma/enums";
import { sql, type SqlClient } from "@/server/sql";
import type { WalletEntryView } from "./get-wallet";

/** One change to a wallet: a deposit (top-up), a checkout's debit, or its refund. */
export type MoneyMovement = {
  customerId: string;
  kind: WalletEntryKind;
  /** Signed: deposits and refunds are positive, debits negative. */
  amountCents: number;
  /** The ledger's key for this movement: it happens at most once. */
  idempotencyKey: string;
  description: string;
  /** The most the balance may reach (deposits only: a refund gives back what was taken, whatever the balance). */
  ceilingCents?: number;
};

export type MoneyMoved =
  /** The balance moved and this entry records it. */
  | { outcome: "moved"; balanceCents: number; entry: WalletEntryView }
  /** An entry with this key was written before (its own amount, perhaps another): nothing moved this time. */
  | { outcome: "repeated"; balanceCents: number; entry: WalletEntryView }
  /** It would have taken the balance below zero or past the ceiling: nothing moved. */
  | { outcome: "refused"; balanceCents: number };

type MovementRow = { balance_cents: number | null; balance_after: number | null; moved: boolean; entry: (Omit<WalletEntryView, "createdAt"> & { createdAt: string }) | null };

/**
 * Every change to a wallet's balance, with its ledger entry, as ONE statement: the wallet row is locked, the balance
 * moves only if it stays within [0, ceiling] and only if no entry with this key exists yet, and the entry records the
 * balance after. The balance and the ledger can never disagree, and a repeated movement changes nothing. The entry
 * is dated when this statement runs (not when its transaction began, before it may have waited for the wallet), so
 * one wallet's entries are dated in the order their balances follow each other.
 *
 * The key check reads the statement's snapshot: a caller that may race another movement with the SAME key must lock
 * the wallet in an earlier statement of its transaction (see topUpWallet); the checkout's steps are already serialised
 * by their saga's lock.
 */
export async function moveMoney(tx: SqlClient, movement: MoneyMovement): Promise<MoneyMoved> {
  const [row] = await tx.rows<MovementRow>(sql`
    WITH wallet AS (
      SELECT id, balance_cents FROM wallets WHERE customer_id = ${movement.customerId}::uuid FOR UPDATE
    ), earlier AS (
      SELECT id, kind, amount_cents, balance_after_cents, description, created_at
        FROM wallet_entries WHERE idempotency_key = ${movement.idempotencyKey}
    ), fresh AS (
      SELECT wallet.id, wallet.balance_cents + ${movement.amountCents}::int AS balance_after
        FROM wallet
       WHERE NOT EXISTS (SELECT 1 FROM earlier)
         AND wallet.balance_cents + ${movement.amountCents}::int >= 0
         AND (${movement.ceilingCents ?? null}::int IS NULL OR wallet.balance_cents + ${movement.amountCents}::int <= ${movement.ceilingCents ?? null}::int)
    ), updated AS (
      UPDATE wallets SET balance_cents = fresh.balance_after FROM fresh WHERE wallets.id = fresh.id RETURNING wallets.id
    ), entry AS (
      INSERT INTO wallet_entries (wallet_id, kind, amount_cents, balance_after_cents, idempotency_key, description, created_at)
      SELECT fresh.id, ${movement.kind}::wallet_entry_kind, ${movement.amountCents}::int, fresh.balance_after,
             ${movement.idempotencyKey}, ${movement.description}, statement_timestamp()
        FROM fresh
      RETURNING id, kind, amount_cents, balance_after_cents, description, created_at
    )
    SELECT (SELECT balance_cents FROM wallet) AS balance_cents,
           (SELECT balance_after FROM fresh) AS balance_after,
           EXISTS (SELECT 1 FROM entry) AS moved,
           (SELECT jsonb_build_object('id', e.id, 'kind', e.kind, 'amountCents', e.amount_cents,
                                      'balanceAfterCents', e.balance_after_cents, 'description', e.description,
                                      'createdAt', e.created_at)
              FROM (SELECT * FROM entry UNION ALL SELECT * FROM earlier) e LIMIT 1) AS entry`);
  if (!row || row.balance_cents === null) throw new DomainError("NOT_FOUND", "You don't have a wallet yet.");
  const entry = row.entry && { ...row.entry, createdAt: new Date(row.entry.createdAt) };
  if (row.moved && entry && row.balance_after !== null) return { outcome: "moved", balanceCents: row.balance_after, entry };
  if (entry) return { outcome: "repeated", balanceCents: row.balance_cents, entry };
  return { outcome: "refused", balanceCents: row.balance_cents };
}
