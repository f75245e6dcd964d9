import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { signInPathFor } from "@/app/_lib/safe-redirect";
import { getApi, getSignedInCustomer, isTRPCErrorCode } from "@/app/_trpc/server";
import { CheckoutProgress } from "./checkout-progress";

export const metadata: Metadata = { title: "Checkout" };

type Props = { params: Promise<{ checkoutId: string }> };

/** One checkout, followed live. Only its owner sees it: any other id, or someone else's, is a 404. */
export default async function CheckoutPage({ params }: Props) {
  const { checkoutId } = await params;
  if (!(await getSignedInCustomer())) redirect(signInPathFor(`/checkout/${encodeURIComponent(checkoutId)}`));
  let status;
  try {
    status = await (await getApi()).checkout.status({ checkoutId });
  } catch (error) {
    // A malformed id is as absent as someone else's checkout.
    if (isTRPCErrorCode(error, "NOT_FOUND") || isTRPCErrorCode(error, "BAD_REQUEST")) notFound();
    throw error;
  }
  return <CheckoutProgress initialStatus={status} />;
}
