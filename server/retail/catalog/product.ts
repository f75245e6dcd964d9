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

export type ProductDetail = ProductSummary & { description: string };

type ProductRow = {
  id: string;
  slug: string;
  name: string;
  description: string;
  colour: string;
  listPriceCents: number;
  salePriceCents: number;
  inventory: { onHand: number; reserved: number } | null;
};

export const productRowSelect = {
  id: true,
  slug: true,
  name: true,
  description: true,
  colour: true,
  listPriceCents: true,
  salePriceCents: true,
  inventory: { select: { onHand: true, reserved: true } },
} as const;

export function toProductDetail(row: ProductRow): ProductDetail {
  const { inventory, ...product } = row;
  // A product without an inventory row has never been stocked: nothing is available.
  return { ...product, available: inventory ? inventory.onHand - inventory.reserved : 0 };
}
