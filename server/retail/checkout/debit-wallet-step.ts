import { DomainError } from "@/server/errors";
import { formatCents } from "@/server/retail/money";
import { defineStep } from "@/server/saga/saga-definition";
import { moveMoney } from "@/server/retail/wallet/move-money";
import { amountToPay } from "./amount-to-pay";
import { debitWalletStepId } from "./checkout-steps";
import type { CheckoutInput } from "./checkout-input";

export type DebitWalletOutput = { debitedCents: number };

/** Ledger keys of a checkout's money movements: each happens at most once per saga, whatever the deliveries. */
export const debitKeyFor = (checkoutId: string) => `saga:${checkoutId}:debit`;
export const refundKeyFor = (checkoutId: string) => `saga:${checkoutId}:refund`;

/**
 * Takes the payment from the prepaid wallet: the amount less what the shopper's points took off (amountToPay). A
 * short balance is a business failure (no retry) that says by how much. Paying clears the saga's deadline: a paid
 * reservation never expires.
 */
export const debitWalletStep = defineStep<CheckoutInput, DebitWalletOutput>({
  name: debitWalletStepId,
  sharedRow: (input) => ({ row: `wallet:${input.customerId}` }),
  async action({ tx, input, outputs }) {
    const { paidCents, discountCents } = amountToPay(input, outputs);
    const points = discountCents > 0 ? ` (${formatCents(discountCents)} paid with points)` : "";
    const moved = await moveMoney(tx, {
      customerId: input.customerId,
      kind: "debit",
      amountCents: -paidCents,
      idempotencyKey: debitKeyFor(input.checkoutId),
      description: `${input.quantity} × ${input.productName}${points}`,
    });
    if (moved.outcome === "refused") {
      const short = formatCents(paidCents - moved.balanceCents);
      throw new DomainError("INSUFFICIENT_FUNDS", `Your wallet was ${short} short.`);
    }
    return { output: { debitedCents: paidCents }, deadlineAt: null };
  },

  /** Runs when the order could not be completed after paying: the money goes back, once. */
  async compensation({ tx, input, output }) {
    if (!output || output.debitedCents <= 0) return;
    await moveMoney(tx, {
      customerId: input.customerId,
      kind: "refund",
      amountCents: output.debitedCents,
      idempotencyKey: refundKeyFor(input.checkoutId),
      description: `Refund: ${input.quantity} × ${input.productName}`,
    });
  },
});
