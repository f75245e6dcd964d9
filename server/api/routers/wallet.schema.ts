import { z } from "zod";
import { formatCents } from "@/server/retail/money";
import { MAX_TOP_UP_CENTS, MIN_TOP_UP_CENTS } from "@/server/retail/wallet/wallet-limits";

/** A client-chosen key that makes a request safe to repeat: the same key is carried out once. */
export const idempotencyKeySchema = z
  .string({ error: "An idempotency key is required." })
  .regex(/^[A-Za-z0-9_-]{8,100}$/, "The idempotency key must be 8–100 letters, digits, '-' or '_'.");

export const topUpInput = z.object({
  amountCents: z
    .number({ error: "Enter the amount as a number of cents." })
    .int("Amounts are whole cents; fractions of a cent are not accepted.")
    .min(MIN_TOP_UP_CENTS, `Top up at least ${formatCents(MIN_TOP_UP_CENTS)}.`)
    .max(MAX_TOP_UP_CENTS, `Top up at most ${formatCents(MAX_TOP_UP_CENTS)} at a time.`),
  idempotencyKey: idempotencyKeySchema,
});
