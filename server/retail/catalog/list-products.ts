import { sql, sqlPool } from "@/server/sql";
import { PRODUCT_COLUMNS, type ProductSummary } from "./product";

/** Every unicorn in the shop, cheapest first. One statement: the catalog is read on every visit of the sale. */
export async function listProducts(): Promise<ProductSummary[]> {
  return sqlPool.rows<ProductSummary>(sql`
    SELECT ${PRODUCT_COLUMNS} FROM products p LEFT JOIN inventory i ON i.product_id = p.id
     ORDER BY p.sale_price_cents, p.name`);
}
