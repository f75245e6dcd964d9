import { db } from "@/server/db";
import { DomainError } from "@/server/errors";
import type { WalletEntryKind } from "@/server/generated/prisma/enums";

export type WalletEntryView = {
  id: string;
  kind: WalletEntryKind;
  amountCents: number;
  balanceAfterCents: number;
  description: string;
  createdAt: Date;
};

export const walletEntrySelect = {
  id: true,
  kind: true,
  amountCents: true,
  balanceAfterCents: true,
  description: true,
  createdAt: true,
} as const;

export type WalletView = { balanceCents: number; entries: WalletEntryView[] };

/** A customer's balance and their most recent ledger entries, newest first. */
export async function getWallet(options: { customerId: string; limit?: number }): Promise<WalletView> {
  const wallet = await db.wallet.findUnique({
    where: { customerId: options.customerId },
    select: {
      balanceCents: true,
      entries: {
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: options.limit ?? 50,
        select: walletEntrySelect,
      },
    },
  });
  if (!wallet) throw new DomainError("NOT_FOUND", "You don't have a wallet yet.");
  return wallet;
}
