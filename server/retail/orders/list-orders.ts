import { db } from "@/server/db";
import { orderSelect, toOrderView, type OrderView } from "./order-view";

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
