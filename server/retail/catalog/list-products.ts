import { db } from "@/server/db";
import { productRowSelect, toProductDetail, type ProductSummary } from "./product";

/** Every unicorn in the shop, cheapest first. */
export async function listProducts(): Promise<ProductSummary[]> {
  const rows = await db.product.findMany({
    select: productRowSelect,
    orderBy: [{ salePriceCents: "asc" }, { name: "asc" }],
  });
  return rows.map(toProductDetail).map(({ description: _description, ...summary }) => summary);
}
