import { DomainError } from "@/server/errors";
import { formatCents } from "@/server/retail/money";
import { inTransaction, sql } from "@/server/sql";
import type { WalletEntryView } from "./get-wallet";
import { moveMoney } from "./move-money";
import { MAX_WALLET_BALANCE_CENTS } from "./wallet-limits";

export type TopUpResult = { balanceCents: number; entry: WalletEntryView; replayed: boolean };

/**
 * Deposits money into a customer's wallet, at most once per idempotency key: a double-submitted form or a retried
 * request returns the first deposit instead of making a second.
 *
 * The wallet row is locked first, in a statement of its own, so concurrent top-ups of one wallet run one after
 * another and the movement (a fresh snapshot) sees a repeat that committed while it waited; the ledger's unique
 * idempotency key is the backstop.
 */
export async function topUpWallet(options: {
  customerId: string;
  amountCents: number;
  idempotencyKey: string;
}): Promise<TopUpResult> {
  // Keys are scoped to the customer, so one customer's key can never collide with another's.
  const ledgerKey = `top-up:${options.customerId}:${options.idempotencyKey}`;

  const moved = await inTransaction(async (tx) => {
    await tx.rows(sql`SELECT 1 FROM wallets WHERE customer_id = ${options.customerId}::uuid FOR UPDATE`);
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
