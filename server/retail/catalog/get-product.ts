import { DomainError } from "@/server/errors";
import { sql, sqlPool } from "@/server/sql";
import { PRODUCT_COLUMNS, type ProductDetail } from "./product";

/** One unicorn by its slug (the part of the address after /products/). */
export async function getProduct(options: { slug: string }): Promise<ProductDetail> {
  const [product] = await sqlPool.rows<ProductDetail>(sql`
    SELECT ${PRODUCT_COLUMNS}, p.description, p.max_per_customer AS "maxPerCustomer" FROM products p LEFT JOIN inventory i ON i.product_id = p.id
     WHERE p.slug = ${options.slug}`);
  if (!product) throw new DomainError("NOT_FOUND", "We couldn't find that unicorn.");
  return product;
}
