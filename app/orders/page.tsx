import type { Metadata } from "next";
import Link from "next/link";
import { LocalDateTime } from "@/app/_components/local-date-time";
import { HOUSE_UNICORN_COLOUR, UnicornArt } from "@/app/_components/unicorn-art";
import { orderNumberOf } from "@/server/retail/orders/order-number";
import { requireCustomer } from "@/app/_lib/require-customer";
import { getApi } from "@/app/_trpc/server";
import { formatCents } from "@/server/retail/money";

export const metadata: Metadata = { title: "Your orders" };

/** The signed-in customer's confirmed orders, newest first. */
export default async function OrdersPage() {
  await requireCustomer("/orders");
  const api = await getApi();
  const [orders, products] = await Promise.all([api.orders.list(), api.catalog.list()]);
  const colourOf = new Map(products.map((product) => [product.slug, product.colour]));

  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Your orders</h1>
      {orders.length === 0 ? (
        <div className="rounded-2xl border border-dashed border-gray-300 bg-white px-6 py-12 text-center">
          <h2 className="text-lg font-semibold">No orders yet</h2>
          <p className="mt-1 text-gray-600">When you buy a unicorn, it will show up here.</p>
          <Link
            href="/"
            className="mt-4 inline-block rounded-lg bg-brand-600 px-4 py-2.5 font-semibold text-white hover:bg-brand-700"
          >
            Browse the unicorns
          </Link>
        </div>
      ) : (
        <ol className="space-y-3" aria-label="Your orders, newest first">
          {orders.map((order) => (
            <li key={order.id} data-testid="order">
              <Link
                href={`/orders/${order.id}`}
                className="flex items-center gap-4 rounded-2xl border border-gray-200 bg-white p-4 shadow-sm transition hover:shadow-md"
              >
                <UnicornArt colour={colourOf.get(order.productSlug) ?? HOUSE_UNICORN_COLOUR} className="size-16 shrink-0" />
                <div className="min-w-0 flex-1">
                  <h2 className="font-semibold">
                    {order.quantity} × {order.productName}
                  </h2>
                  <p className="text-sm text-gray-600">
                    Order {orderNumberOf(order.id)} · <LocalDateTime date={order.createdAt} />
                  </p>
                </div>
                <p className="text-right font-bold">
                  <span className="sr-only">Total </span>
                  {formatCents(order.totalCents)}
                </p>
              </Link>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
