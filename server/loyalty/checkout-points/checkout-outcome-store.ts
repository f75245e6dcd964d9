import { pointsReplySchema } from "@/server/contracts/checkout-points-messages";
import { StreamVersionConflict } from "@/server/loyalty/event-store/point-event-store";
import { sql, type SqlClient } from "@/server/sql";
import type { CheckoutCommandKind, CheckoutOutcome, StoredOutcomes } from "./decide-checkout-points";

/**
 * The reply each checkout command got (`loyalty_checkout_outcomes`, keyed by checkout id and command), written in the
 * transaction of the events it caused: a command delivered again is answered from here and writes nothing.
 */

/**
 * Another transaction stored an outcome for this checkout after this one read them: decide again on what it wrote.
 * A stream conflict in kind (retryOnStreamConflict runs the command again).
 */
export class CheckoutOutcomeConflict extends StreamVersionConflict {
  constructor(checkoutId: string) {
    super(checkoutId, -1);
    this.name = "CheckoutOutcomeConflict";
    this.message = `An outcome for checkout ${checkoutId} was stored while this command was decided`;
  }
}

/** The outcomes stored for a checkout, by command. */
export async function readCheckoutOutcomes(client: SqlClient, checkoutId: string): Promise<StoredOutcomes> {
  const rows = await client.rows<{ command: CheckoutCommandKind; reply: unknown }>(sql`
    SELECT command, reply FROM loyalty_checkout_outcomes WHERE checkout_id = ${checkoutId}::uuid`);
  return new Map(rows.map((row) => [row.command, pointsReplySchema.parse(row.reply)]));
}

/**
 * Stores outcomes for a checkout. A concurrent transaction that stored one of them first makes this one wait for its
 * commit, then throws CheckoutOutcomeConflict: the command is decided again and finds that outcome.
 */
export async function storeCheckoutOutcomes(
  tx: SqlClient,
  options: { checkoutId: string; customerId: string; outcomes: readonly CheckoutOutcome[] },
): Promise<void> {
  const { outcomes } = options;
  if (outcomes.length === 0) return;
  const stored = await tx.count(sql`
    INSERT INTO loyalty_checkout_outcomes (checkout_id, command, customer_id, reply)
    SELECT ${options.checkoutId}::uuid, command, ${options.customerId}::uuid, reply
      FROM unnest(${outcomes.map((o) => o.command)}::text[], ${outcomes.map((o) => JSON.stringify(o.reply))}::jsonb[])
           AS outcome(command, reply)
    ON CONFLICT (checkout_id, command) DO NOTHING`);
  if (stored < outcomes.length) throw new CheckoutOutcomeConflict(options.checkoutId);
}
