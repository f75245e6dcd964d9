import { getOrder } from "@/server/retail/orders/get-order";
import { listOrders } from "@/server/retail/orders/list-orders";
import { listPurchases } from "@/server/retail/orders/list-purchases";
import { protectedProcedure, router } from "../trpc";
import { orderIdInput } from "./checkout.schema";

/** Always the signed-in customer's own orders. */
export const ordersRouter = router({
  list: protectedProcedure.query(({ ctx }) => listOrders({ customerId: ctx.customer.id })),
  /** Every checkout, whatever became of it (confirmed, going, failed, with our team): the orders page lists these. */
  purchases: protectedProcedure.query(({ ctx }) => listPurchases({ customerId: ctx.customer.id })),
  get: protectedProcedure
    .input(orderIdInput)
    .query(({ ctx, input }) => getOrder({ customerId: ctx.customer.id, orderId: input.orderId })),
});
