import { DomainError } from "@/server/errors";
import { formatCents } from "@/server/retail/money";
import { defineStep } from "@/server/saga/saga-definition";
import type { CheckoutInput } from "./checkout-input";

export const debitWalletStepId = "debit-wallet";

export type DebitWalletOutput = { debitedCents: number };

/** Ledger keys of a checkout's money movements: each happens at most once per saga, whatever the deliveries. */
export const debitKeyFor = (checkoutId: string) => `saga:${checkoutId}:debit`;
export const refundKeyFor = (checkoutId: string) => `saga:${checkoutId}:refund`;

/**
 * Takes the payment from the prepaid wallet. A short balance is a business failure (no retry) that says by how much.
 * Paying clears the saga's deadline: a paid reservation never expires.
 */
export const debitWalletStep = defineStep<CheckoutInput, DebitWalletOutput>({
  name: debitWalletStepId,
  async action({ tx, input }) {
    const [wallet] = await tx.$queryRaw<{ id: string; balance_cents: number }[]>`
      SELECT id, balance_cents FROM wallets WHERE customer_id = ${input.customerId}::uuid FOR UPDATE`;
    if (!wallet) throw new DomainError("NOT_FOUND", "You don't have a wallet yet.");
    if (wallet.balance_cents < input.amountCents) {
      const short = formatCents(input.amountCents - wallet.balance_cents);
      throw new DomainError("INSUFFICIENT_FUNDS", `Your wallet was ${short} short.`);
    }
    const balanceAfterCents = wallet.balance_cents - input.amountCents;
    await tx.$executeRaw`UPDATE wallets SET balance_cents = ${balanceAfterCents} WHERE id = ${wallet.id}::uuid`;
    await tx.walletEntry.create({
      data: {
        walletId: wallet.id,
        kind: "debit",
        amountCents: -input.amountCents,
        balanceAfterCents,
        idempotencyKey: debitKeyFor(input.checkoutId),
        description: `${input.quantity} × ${input.productName}`,
      },
    });
    return { output: { debitedCents: input.amountCents }, deadlineAt: null };
  },

  /** Runs when the order could not be completed after paying: the money goes back, once. */
  async compensation({ tx, input, output }) {
    if (!output || output.debitedCents <= 0) return;
    const [wallet] = await tx.$queryRaw<{ id: string; balance_cents: number }[]>`
      SELECT id, balance_cents FROM wallets WHERE customer_id = ${input.customerId}::uuid FOR UPDATE`;
    if (!wallet) return;
    const refunded = await tx.walletEntry.findUnique({ where: { idempotencyKey: refundKeyFor(input.checkoutId) } });
    if (refunded) return;
    const balanceAfterCents = wallet.balance_cents + output.debitedCents;
    await tx.$executeRaw`UPDATE wallets SET balance_cents = ${balanceAfterCents} WHERE id = ${wallet.id}::uuid`;
    await tx.walletEntry.create({
      data: {
        walletId: wallet.id,
        kind: "refund",
        amountCents: output.debitedCents,
        balanceAfterCents,
        idempotencyKey: refundKeyFor(input.checkoutId),
        description: `Refund: ${input.quantity} × ${input.productName}`,
      },
    });
  },
});
