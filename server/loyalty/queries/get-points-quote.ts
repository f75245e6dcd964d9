import { quotePoints, type PointsQuote } from "@/server/loyalty/rules/quote-points";
import { readRedemptionRule } from "@/server/loyalty/rules/redemption-rule-store";
import { sql, sqlPool } from "@/server/sql";

/**
 * What `points` of the signed-in customer's would take off an order of `amountCents` now, and the most they could
 * use on it. Two reads: the spendable points from the lots projection (lots not expired and not past their expiry,
 * as the summary counts them; it may trail the log by a moment, and the checkout's redemption is decided on the log
 * itself), and the redemption rule.
 */
export async function getPointsQuote(options: {
  customerId: string;
  points: number;
  amountCents: number;
  now: Date;
}): Promise<PointsQuote> {
  const [spendable] = await sqlPool.rows<{ points: number }>(sql`
    SELECT coalesce(sum(remaining), 0)::int AS points FROM loyalty_lots
     WHERE customer_id = ${options.customerId}::uuid AND NOT expired AND remaining > 0
       AND expires_at > ${options.now}::timestamptz`);
  const rule = await readRedemptionRule(sqlPool);
  return quotePoints(rule, { points: options.points, amountCents: options.amountCents, spendablePoints: spendable?.points ?? 0 });
}
