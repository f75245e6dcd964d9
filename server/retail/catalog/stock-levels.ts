import { sql, sqlPool } from "@/server/sql";
import { AVAILABLE } from "./product";

/** What is available of each unicorn right now, by slug: the live part of the shop front. */
export type StockLevels = Record<string, number>;

/** One statement for the whole catalog: a handful of rows, read again whenever any of them changes. */
export async function readStockLevels(): Promise<StockLevels> {
  const rows = await sqlPool.rows<{ slug: string; available: number }>(sql`
    SELECT p.slug, ${AVAILABLE} AS available
      FROM products p LEFT JOIN inventory i ON i.product_id = p.id`);
  return Object.fromEntries(rows.map((row) => [row.slug, row.available]));
}

export function sameStockLevels(a: StockLevels, b: StockLevels): boolean {
  const slugs = Object.keys(a);
  return slugs.length === Object.keys(b).length && slugs.every((slug) => a[slug] === b[slug]);
}
