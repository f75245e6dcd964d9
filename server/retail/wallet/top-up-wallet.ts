import { db } from "@/server/db";
import { DomainError } from "@/server/errors";
import { formatCents } from "@/server/retail/money";
import { walletEntrySelect, type WalletEntryView } from "./get-wallet";
import { MAX_WALLET_BALANCE_CENTS } from "./wallet-limits";

export type TopUpResult = { balanceCents: number; entry: WalletEntryView; replayed: boolean };

/**
 * Deposits money into a customer's wallet, at most once per idempotency key: a double-submitted form or a retried
 * request returns the first deposit instead of making a second.
 *
 * The wallet row is locked first, so concurrent top-ups of one wallet run one after another; the ledger's unique
 * idempotency key is the backstop.
 */
export async function topUpWallet(options: {
  customerId: string;
  amountCents: number;
  idempotencyKey: string;
}): Promise<TopUpResult> {
  // Keys are scoped to the customer, so one customer's key can never collide with another's.
  const ledgerKey = `top-up:${options.customerId}:${options.idempotencyKey}`;

  return db.$transaction(async (tx) => {
    const [wallet] = await tx.$queryRaw<{ id: string; balance_cents: number }[]>`
      SELECT id, balance_cents FROM wallets WHERE customer_id = ${options.customerId}::uuid FOR UPDATE`;
    if (!wallet) throw new DomainError("NOT_FOUND", "You don't have a wallet yet.");

    const earlier = await tx.walletEntry.findUnique({
      where: { idempotencyKey: ledgerKey },
      select: walletEntrySelect,
    });
    if (earlier) {
      if (earlier.amountCents !== options.amountCents) {
        throw new DomainError(
          "IDEMPOTENCY_CONFLICT",
          `This top-up was already made for ${formatCents(earlier.amountCents)}; start a new top-up for a different amount.`,
        );
      }
      return { balanceCents: wallet.balance_cents, entry: earlier, replayed: true };
    }

    const balanceAfterCents = wallet.balance_cents + options.amountCents;
    if (balanceAfterCents > MAX_WALLET_BALANCE_CENTS) {
      const room = MAX_WALLET_BALANCE_CENTS - wallet.balance_cents;
      const limit = `A wallet can hold at most ${formatCents(MAX_WALLET_BALANCE_CENTS)}`;
      throw new DomainError(
        "VALIDATION",
        room > 0 ? `${limit}; you can add up to ${formatCents(room)}.` : `${limit}, and yours is full.`,
        { field: "amountCents" },
      );
    }
    await tx.wallet.update({ where: { id: wallet.id }, data: { balanceCents: balanceAfterCents } });
    const entry = await tx.walletEntry.create({
      data: {
        walletId: wallet.id,
        kind: "deposit",
        amountCents: options.amountCents,
        balanceAfterCents,
        idempotencyKey: ledgerKey,
        description: "Wallet top-up",
      },
      select: walletEntrySelect,
    });
    return { balanceCents: balanceAfterCents, entry, replayed: false };
  });
}
