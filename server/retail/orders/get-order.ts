import { db } from "@/server/db";
import { DomainError } from "@/server/errors";
import { orderSelect, toOrderView, type OrderView } from "./order-view";

/** One of the customer's own orders; anyone else's is "not found". */
export async function getOrder(options: { customerId: string; orderId: string }): Promise<OrderView> {
  const order = await db.order.findFirst({
    where: { id: options.orderId, customerId: options.customerId },
    select: orderSelect,
  });
  if (!order) throw new DomainError("NOT_FOUND", "We couldn't find that order.");
  return toOrderView(order);
}
