import { sql } from "@/server/sql";

/** A unicorn as the shop front shows it. `available` = on hand minus reserved for checkouts in progress. */
export type ProductSummary = {
  id: string;
  slug: string;
  name: string;
  colour: string;
  listPriceCents: number;
  salePriceCents: number;
  available: number;
};

export type ProductDetail = ProductSummary & {
  description: string;
  /** How many one customer may hold and have bought in all (the sale's limit); null when there is no limit. */
  maxPerCustomer: number | null;
};

/** What can be bought of a product now; `i` is its inventory row, absent for a product never stocked. */
export const AVAILABLE = sql`COALESCE(i.on_hand - i.reserved, 0)`;

/**
 * A product's columns as the shop front names them, with what is available of it (a product without an inventory
 * row has never been stocked: nothing is available). Read with `FROM products p LEFT JOIN inventory i`.
 */
export const PRODUCT_COLUMNS = sql`
  p.id, p.slug, p.name, p.colour, p.list_price_cents AS "listPriceCents", p.sale_price_cents AS "salePriceCents",
  ${AVAILABLE} AS available`;
