import type { Metadata } from "next";
import Link from "next/link";
import { LocalDateTime } from "@/app/_components/local-date-time";
import { UnicornArt } from "@/app/_components/unicorn-art";
import { orderNumberOfCheckout } from "@/server/retail/orders/order-number";
import { requireCustomer } from "@/app/_lib/require-customer";
import { getApi } from "@/app/_trpc/server";
import { formatCents } from "@/server/retail/money";
import { PURCHASE_STATUS, purchaseHref } from "./purchase-words";

export const metadata: Metadata = { title: "Your orders" };

/**
 * Every checkout of the signed-in customer, newest first, whatever became of it: confirmed, still going, didn't go
 * through, or with our team. Each leads to its order, or to its checkout page, which says what happened.
 */
export default async function OrdersPage() {
  await requireCustomer("/orders");
  const purchases = await (await getApi()).orders.purchases();

  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Your orders</h1>
      {purchases.length === 0 ? (
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
          {purchases.map((purchase) => {
            const status = PURCHASE_STATUS[purchase.status];
            return (
              <li key={purchase.checkoutId} data-testid="order" data-status={purchase.status}>
                <Link
                  href={purchaseHref(purchase)}
                  className="flex items-center gap-4 rounded-2xl border border-gray-200 bg-white p-4 shadow-sm transition hover:shadow-md"
                >
                  <UnicornArt colour={purchase.productColour} className="size-16 shrink-0" />
                  <div className="min-w-0 flex-1">
                    <h2 className="font-semibold">
                      {purchase.quantity} × {purchase.productName}
                    </h2>
                    <p className="text-sm text-gray-600">
                      Order {orderNumberOfCheckout(purchase.checkoutId)} · <LocalDateTime date={purchase.createdAt} />
                    </p>
                  </div>
                  <div className="flex shrink-0 flex-col items-end gap-1 text-right">
                    <span className={`rounded-full px-2.5 py-0.5 text-xs font-semibold ${status.className}`} data-testid="order-status">
                      {status.label}
                    </span>
                    <p className="font-bold">
                      <span className="sr-only">Total </span>
                      {formatCents(purchase.totalCents)}
                    </p>
                  </div>
                </Link>
              </li>
            );
          })}
        </ol>
      )}
    </div>
  );
}
