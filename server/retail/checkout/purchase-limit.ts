import { DomainError } from "@/server/errors";
import { sql, type SqlClient } from "@/server/sql";

/**
 * A product's per-customer limit (`products.max_per_customer`: 1 Classic Unicorn per customer on Cyber Monday),
 * checked in the transaction of checkout.start that reserves the units — the saga's first step (reserve-stock is
 * `begunAtStart`). It lives with the reservation because only there can it not be raced: a check in a later step, or
 * before the transaction, would let ten simultaneous checkouts by one customer each see "none yet" and each go on.
 *
 * First a transaction-scoped advisory lock on (customer, product) makes one customer's checkouts of one product take
 * turns (other customers and other products are not held up); then, in a statement of its own (so that it reads a
 * snapshot taken after the lock, which sees what the previous holder committed), the units the customer holds
 * (reservations `held`) and has bought (`sold`) are counted. A released reservation (a compensated or expired
 * checkout) no longer counts, so its unit can be bought again by the same customer. The lock is released at commit or
 * rollback, after this checkout's own reservation is written or abandoned.
 */
export async function checkPurchaseLimit(
  tx: SqlClient,
  options: { customerId: string; productId: string; productName: string; maxPerCustomer: number; quantity: number },
): Promise<void> {
  await tx.rows(sql`
    SELECT pg_advisory_xact_lock(hashtextextended('purchase-limit:' || ${options.customerId} || ':' || ${options.productId}, 0))`);
  const [row] = await tx.rows<{ units: number }>(sql`
    SELECT COALESCE(sum(r.quantity), 0)::int AS units
      FROM checkouts c JOIN reservations r ON r.checkout_id = c.id
     WHERE c.customer_id = ${options.customerId}::uuid AND r.product_id = ${options.productId}::uuid
       AND r.status IN ('held', 'sold')`);
  const already = row?.units ?? 0;
  if (already + options.quantity > options.maxPerCustomer) throw purchaseLimitReached({ ...options, already });
}

function purchaseLimitReached(options: { productName: string; maxPerCustomer: number; already: number }): DomainError {
  const limit = `The ${options.productName} is limited to ${options.maxPerCustomer} per customer`;
  const left = options.maxPerCustomer - options.already;
  return new DomainError(
    "PURCHASE_LIMIT",
    left <= 0
      ? `${limit}, and you already have ${options.already === 1 ? "yours" : `your ${options.already}`} (bought or in a checkout).`
      : `${limit}: you can add ${left} more.`,
    { field: "quantity" },
  );
}
