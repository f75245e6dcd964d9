import type { SagaStatus } from "@/server/saga/saga-status";
import { sql, sqlPool } from "@/server/sql";

/**
 * One checkout as the orders list shows it: whatever became of it (confirmed, still going, failed, or with the shop's
 * team), with its order once there is one.
 */
export type PurchaseView = {
  checkoutId: string;
  /** Set once the checkout became an order. */
  orderId: string | null;
  status: SagaStatus;
  productName: string;
  productSlug: string;
  productColour: string;
  quantity: number;
  /** The price when the checkout started; for an order, what its wallet paid (the price less any points). */
  totalCents: number;
  createdAt: Date;
};

/** Every checkout of a customer, newest first, whatever became of it (the most recent 100). */
export async function listPurchases(options: { customerId: string }): Promise<PurchaseView[]> {
  return sqlPool.rows<PurchaseView>(sql`
    SELECT c.id AS "checkoutId", o.id AS "orderId", s.status, p.name AS "productName", p.slug AS "productSlug",
           p.colour AS "productColour", c.quantity, COALESCE(o.paid_cents, c.amount_cents) AS "totalCents",
           c.created_at AS "createdAt"
      FROM checkouts c
      JOIN saga_instances s ON s.id = c.id
      JOIN products p ON p.id = c.product_id
      LEFT JOIN orders o ON o.checkout_id = c.id
     WHERE c.customer_id = ${options.customerId}::uuid
     ORDER BY c.created_at DESC, c.id DESC
     LIMIT 100`);
}
