import { DomainError } from "@/server/errors";
import { formatCents } from "@/server/retail/money";
import { defineStep } from "@/server/saga/saga-definition";
import { sql, type SqlClient } from "@/server/sql";
import { debitWalletStepId } from "./checkout-steps";
import type { CheckoutInput } from "./checkout-input";


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
  sharedRow: (input) => ({ row: `wallet:${input.customerId}` }),
  async action({ tx, input }) {
    const moved = await moveMoney(tx, {
      customerId: input.customerId,
      kind: "debit",
      amountCents: -input.amountCents,
      idempotencyKey: debitKeyFor(input.checkoutId),
      description: `${input.quantity} × ${input.productName}`,
    });
    if (!moved.ok) {
      const short = formatCents(input.amountCents - moved.balanceCents);
      throw new DomainError("INSUFFICIENT_FUNDS", `Your wallet was ${short} short.`);
    }
    return { output: { debitedCents: input.amountCents }, deadlineAt: null };
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

/**
 * Changes a wallet's balance and appends the ledger entry in one statement: the balance moves only if it stays
 * non-negative and only if no entry with this key exists yet (a repeated refund changes nothing). Returns the balance
 * seen when the money could not move.
 */
async function moveMoney(
  tx: SqlClient,
  movement: { customerId: string; kind: "debit" | "refund"; amountCents: number; idempotencyKey: string; description: string },
): Promise<{ ok: true } | { ok: false; balanceCents: number }> {
  const [result] = await tx.rows<{ moved: boolean; balance_cents: number }>(sql`
    WITH wallet AS (
      SELECT id, balance_cents FROM wallets WHERE customer_id = ${movement.customerId}::uuid FOR UPDATE
    ), fresh AS (
      SELECT wallet.id, wallet.balance_cents + ${movement.amountCents}::int AS balance_after
        FROM wallet
       WHERE wallet.balance_cents + ${movement.amountCents}::int >= 0
         AND NOT EXISTS (SELECT 1 FROM wallet_entries WHERE idempotency_key = ${movement.idempotencyKey})
    ), updated AS (
      UPDATE wallets SET balance_cents = fresh.balance_after FROM fresh WHERE wallets.id = fresh.id RETURNING wallets.id
    ), entry AS (
      INSERT INTO wallet_entries (wallet_id, kind, amount_cents, balance_after_cents, idempotency_key, description)
      SELECT fresh.id, ${movement.kind}::wallet_entry_kind, ${movement.amountCents}::int, fresh.balance_after,
             ${movement.idempotencyKey}, ${movement.description}
        FROM fresh
      RETURNING id
    )
    SELECT EXISTS (SELECT 1 FROM entry) OR EXISTS (SELECT 1 FROM wallet_entries WHERE idempotency_key = ${movement.idempotencyKey}) AS moved,
           (SELECT balance_cents FROM wallet) AS balance_cents`);
  if (result?.balance_cents === null || result?.balance_cents === undefined) {
    throw new DomainError("NOT_FOUND", "You don't have a wallet yet.");
  }
  return result.moved ? { ok: true } : { ok: false, balanceCents: result.balance_cents };
}
