import type { Metadata } from "next";
import { orNotFound } from "@/app/_lib/or-not-found";
import { requireCustomer } from "@/app/_lib/require-customer";
import { getApi } from "@/app/_trpc/server";
import { CheckoutProgress } from "./checkout-progress";

export const metadata: Metadata = { title: "Checkout" };

type Props = { params: Promise<{ checkoutId: string }> };

/** One checkout, followed live. Only its owner sees it: any other id, or someone else's, is a 404. */
export default async function CheckoutPage({ params }: Props) {
  const { checkoutId } = await params;
  await requireCustomer(`/checkout/${encodeURIComponent(checkoutId)}`);
  // A malformed id is as absent as someone else's checkout.
  const status = await orNotFound((await getApi()).checkout.status({ checkoutId }));
  return <CheckoutProgress initialStatus={status} />;
}
