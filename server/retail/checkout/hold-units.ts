import { sql, type SqlQuery } from "@/server/sql";

/**
 * Sets a checkout's unicorns aside, in one statement: takes the units only if they are there (a conditional UPDATE,
 * decided under the row lock PostgreSQL takes for it, so concurrent checkouts queue on the inventory row and none can
 * take a unit another already holds) and records the reservation only if they were taken. Returns the reservation's
 * id and expiry, or no row when too few were left.
 */
export function holdUnits(options: { checkoutId: string; productId: string; quantity: number; expiresAt: SqlQuery }): SqlQuery {
  return sql`
    WITH taken AS (
      UPDATE inventory SET reserved = reserved + ${options.quantity}, updated_at = now()
       WHERE product_id = ${options.productId}::uuid AND on_hand - reserved >= ${options.quantity}
      RETURNING product_id
    )
    INSERT INTO reservations (checkout_id, product_id, quantity, expires_at)
    SELECT ${options.checkoutId}::uuid, product_id, ${options.quantity}, ${options.expiresAt} FROM taken
    RETURNING id, expires_at`;
}

export type HeldUnits = { id: string; expires_at: Date };
