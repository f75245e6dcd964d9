import { DomainError } from "@/server/errors";
import { formatCents } from "@/server/retail/money";
import { inTransaction, sql, type SqlClient } from "@/server/sql";
import type { WalletEntryView } from "./get-wallet";
import { moveMoney } from "./move-money";
import { MAX_WALLET_BALANCE_CENTS, MIN_TOP_UP_CENTS } from "./wallet-limits";

export type TopUpResult = { balanceCents: number; entry: WalletEntryView; replayed: boolean };

/**
 * Deposits money into a customer's wallet, at most once per idempotency key: a double-submitted form or a retried
 * request returns the first deposit instead of making a second.
 *
 * The wallet row is locked first, in a statement of its own, so concurrent top-ups of one wallet run one after
 * another and the movement (a fresh snapshot) sees a repeat that committed while it waited; the ledger's unique
 * idempotency key is the backstop. Under the same lock, the day's cap (`dailyLimitCents`, when given) is checked
 * against the deposits of the last 24 hours, so concurrent top-ups cannot pass it together; a repeat of a top-up that
 * was made is answered with it, whatever the cap says now.
 */
export async function topUpWallet(options: {
  customerId: string;
  amountCents: number;
  idempotencyKey: string;
  /** The most one customer may deposit in any 24 hours (server/env.ts: topUpDailyLimitCents); none when absent. */
  dailyLimitCents?: number | null;
}): Promise<TopUpResult> {
  // Keys are scoped to the customer, so one customer's key can never collide with another's.
  const ledgerKey = `top-up:${options.customerId}:${options.idempotencyKey}`;

  const moved = await inTransaction(async (tx) => {
    await tx.rows(sql`SELECT 1 FROM wallets WHERE customer_id = ${options.customerId}::uuid FOR UPDATE`);
    if (options.dailyLimitCents != null) {
      await refusePastDailyLimit(tx, { ...options, ledgerKey, dailyLimitCents: options.dailyLimitCents });
    }
    return moveMoney(tx, {
      customerId: options.customerId,
      kind: "deposit",
      amountCents: options.amountCents,
      idempotencyKey: ledgerKey,
      description: "Wallet top-up",
      ceilingCents: MAX_WALLET_BALANCE_CENTS,
    });
  });

  switch (moved.outcome) {
    case "moved":
      return { balanceCents: moved.balanceCents, entry: moved.entry, replayed: false };
    case "repeated":
      if (moved.entry.amountCents !== options.amountCents) {
        throw new DomainError(
          "IDEMPOTENCY_CONFLICT",
          `This top-up was already made for ${formatCents(moved.entry.amountCents)}; start a new top-up for a different amount.`,
        );
      }
      return { balanceCents: moved.balanceCents, entry: moved.entry, replayed: true };
    case "refused": {
      const room = MAX_WALLET_BALANCE_CENTS - moved.balanceCents;
      const limit = `A wallet can hold at most ${formatCents(MAX_WALLET_BALANCE_CENTS)}`;
      throw new DomainError(
        "VALIDATION",
        room > 0 ? `${limit}; you can add up to ${formatCents(room)}.` : `${limit}, and yours is full.`,
        { field: "amountCents" },
      );
    }
  }
}

/** Refuses a new top-up that would take the last 24 hours' deposits past the cap (a repeat is not a new top-up). */
async function refusePastDailyLimit(
  tx: SqlClient,
  options: { customerId: string; amountCents: number; ledgerKey: string; dailyLimitCents: number },
): Promise<void> {
  const [row] = await tx.rows<{ repeated: boolean; deposited: number }>(sql`
    SELECT EXISTS (SELECT 1 FROM wallet_entries WHERE idempotency_key = ${options.ledgerKey}) AS repeated,
           COALESCE((SELECT sum(amount_cents) FROM wallet_entries
                      WHERE wallet_id = (SELECT id FROM wallets WHERE customer_id = ${options.customerId}::uuid)
                        AND kind = 'deposit' AND created_at > statement_timestamp() - interval '24 hours'), 0)::float8 AS deposited`);
  if (!row || row.repeated || row.deposited + options.amountCents <= options.dailyLimitCents) return;
  const room = Math.max(0, options.dailyLimitCents - row.deposited);
  const limit = `Top-ups are limited to ${formatCents(options.dailyLimitCents)} in 24 hours`;
  throw new DomainError(
    "TOP_UP_LIMIT",
    room >= MIN_TOP_UP_CENTS
      ? `${limit}; you can add up to ${formatCents(room)} now.`
      : `${limit}, and you have added that much already. Please try again tomorrow.`,
    { field: "amountCents" },
  );
}
