import type { Metadata } from "next";
import Link from "next/link";
import { LocalDateTime } from "@/app/_components/local-date-time";
import { HOUSE_UNICORN_COLOUR, UnicornArt } from "@/app/_components/unicorn-art";
import { orderNumberOfCheckout } from "@/server/retail/orders/order-number";
import { orNotFound } from "@/app/_lib/or-not-found";
import { requireCustomer } from "@/app/_lib/require-customer";
import { getApi } from "@/app/_trpc/server";
import { formatPoints } from "@/server/loyalty/points/format-points";
import { formatCents } from "@/server/retail/money";

export const metadata: Metadata = { title: "Order" };

type Props = { params: Promise<{ orderId: string }> };

/**
 * One of the customer's own orders: what it cost, what points took off and what the wallet paid (from its checkout,
 * whose number it carries). Anyone else's, or a malformed number, is a 404.
 */
export default async function OrderPage({ params }: Props) {
  const { orderId } = await params;
  await requireCustomer(`/orders/${encodeURIComponent(orderId)}`);
  const api = await getApi();
  const order = await orNotFound(api.orders.get({ orderId }));
  const [products, checkout] = await Promise.all([api.catalog.list(), api.checkout.status({ checkoutId: order.checkoutId })]);
  const product = products.find((candidate) => candidate.slug === order.productSlug);
  const payment = checkout;
  const usedPoints = payment.pointsUsed > 0;

  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <p>
        <Link href="/orders" className="text-sm font-medium text-brand-700 hover:underline">
          ← All orders
        </Link>
      </p>
      <article className="space-y-6 rounded-2xl border border-gray-200 bg-white p-6 shadow-sm sm:p-8">
        <header className="flex flex-wrap items-start justify-between gap-3">
          <div>
            <h1 className="text-2xl font-bold">Order {orderNumberOfCheckout(order.checkoutId)}</h1>
            <p className="text-gray-600">
              Placed <LocalDateTime date={order.createdAt} />
            </p>
          </div>
          <span className="rounded-full bg-emerald-100 px-3 py-1 text-sm font-semibold text-emerald-800">Confirmed</span>
        </header>

        <div className="flex items-center gap-4 border-y border-gray-100 py-4">
          <UnicornArt colour={product?.colour ?? HOUSE_UNICORN_COLOUR} className="size-20 shrink-0" />
          <div className="min-w-0 flex-1">
            <h2 className="text-lg font-semibold">
              <Link href={`/products/${order.productSlug}`} className="hover:underline">
                {order.productName}
              </Link>
            </h2>
            <p className="text-sm text-gray-600">
              {order.quantity} × {formatCents(order.unitPriceCents)}
            </p>
          </div>
        </div>

        <dl className="space-y-2">
          <div className="flex justify-between gap-4">
            <dt className="text-gray-600">Quantity</dt>
            <dd className="font-medium">{order.quantity}</dd>
          </div>
          {usedPoints && (
            <>
              <div className="flex justify-between gap-4">
                <dt className="text-gray-600">Price</dt>
                <dd className="font-medium">{formatCents(payment.amountCents)}</dd>
              </div>
              <div className="flex justify-between gap-4">
                <dt className="text-gray-600">Points used</dt>
                <dd className="font-medium" data-testid="order-points">
                  {formatPoints(payment.pointsUsed)}
                </dd>
              </div>
              <div className="flex justify-between gap-4">
                <dt className="text-gray-600">Discount</dt>
                <dd className="font-medium" data-testid="order-discount">
                  −{formatCents(payment.discountCents)}
                </dd>
              </div>
            </>
          )}
          <div className="flex justify-between gap-4">
            <dt className="text-gray-600">Paid with</dt>
            <dd className="font-medium">{usedPoints ? "Points and prepaid wallet" : "Prepaid wallet"}</dd>
          </div>
          <div className="flex justify-between gap-4 border-t border-gray-100 pt-2 text-lg">
            <dt className="font-semibold">{usedPoints ? "Paid from your wallet" : "Total"}</dt>
            <dd className="font-bold" data-testid="order-total">
              {formatCents(usedPoints ? payment.paidCents : order.totalCents)}
            </dd>
          </div>
        </dl>
      </article>
    </div>
  );
}
