import { db } from "@/server/db";
import { DomainError } from "@/server/errors";

export type OrderView = {
  id: string;
  productName: string;
  productSlug: string;
  quantity: number;
  unitPriceCents: number;
  totalCents: number;
  createdAt: Date;
};

const orderSelect = {
  id: true,
  productName: true,
  product: { select: { slug: true } },
  quantity: true,
  unitPriceCents: true,
  totalCents: true,
  createdAt: true,
} as const;

type OrderRow = Omit<OrderView, "productSlug"> & { product: { slug: string } };

function toOrderView({ product, ...order }: OrderRow): OrderView {
  return { ...order, productSlug: product.slug };
}

/** A customer's confirmed orders, newest first. */
export async function listOrders(options: { customerId: string }): Promise<OrderView[]> {
  const orders = await db.order.findMany({
    where: { customerId: options.customerId },
    orderBy: { createdAt: "desc" },
    take: 100,
    select: orderSelect,
  });
  return orders.map(toOrderView);
}

/** One of the customer's own orders; anyone else's is "not found". */
export async function getOrder(options: { customerId: string; orderId: string }): Promise<OrderView> {
  const order = await db.order.findFirst({
    where: { id: options.orderId, customerId: options.customerId },
    select: orderSelect,
  });
  if (!order) throw new DomainError("NOT_FOUND", "We couldn't find that order.");
  return toOrderView(order);
}
