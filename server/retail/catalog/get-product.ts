import { db } from "@/server/db";
import { DomainError } from "@/server/errors";
import { productRowSelect, toProductDetail, type ProductDetail } from "./product";

/** One unicorn by its slug (the part of the address after /products/). */
export async function getProduct(options: { slug: string }): Promise<ProductDetail> {
  const row = await db.product.findUnique({ where: { slug: options.slug }, select: productRowSelect });
  if (!row) throw new DomainError("NOT_FOUND", "We couldn't find that unicorn.");
  return toProductDetail(row);
}
