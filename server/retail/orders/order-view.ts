/** An order as the shopper sees it, and how Prisma selects one: shared by the order list and the order page. */
export type OrderView = {
  id: string;
  /** The checkout that became this order: its number is the one the shopper reads (orderNumberOfCheckout). */
  checkoutId: string;
  productName: string;
  productSlug: string;
  quantity: number;
  unitPriceCents: number;
  totalCents: number;
  createdAt: Date;
};

export const orderSelect = {
  id: true,
  checkoutId: true,
  productName: true,
  product: { select: { slug: true } },
  quantity: true,
  unitPriceCents: true,
  totalCents: true,
  createdAt: true,
} as const;

type OrderRow = Omit<OrderView, "productSlug"> & { product: { slug: string } };

export function toOrderView({ product, ...order }: OrderRow): OrderView {
  return { ...order, productSlug: product.slug };
}
