"use client";

import { useMutation } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import { useRouter } from "next/navigation";
import { useQuery } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { formErrorsOf } from "@/app/_lib/api-errors";
import { useAvailable } from "@/app/_lib/live-stock";
import { useSignedInCustomer } from "@/app/_lib/use-signed-in-customer";
import { StockBadge } from "@/app/_components/stock-badge";
import { signInPathFor } from "@/app/_lib/safe-redirect";
import { FormError } from "@/app/_components/text-field";
import { SelectField } from "@/app/_components/select-field";
import { useTRPC } from "@/app/_trpc/client";
import { PaySummary } from "./pay-summary";
import { PointsField } from "./points-field";
import { productPathWithChoice } from "./purchase-sums";
import { usePointsChoice } from "./use-points-choice";
import { useReturningChoice } from "./use-returning-choice";

/**
 * Stock, quantity, points and "Buy now". The stock is live (it changes as others buy); a signed-in customer also sees
 * their points and what they take off, their wallet and whether it is short, all asked for in the browser (the page
 * is the same for everyone). Starting a checkout sets the unicorns aside at once and answers with the checkout's id,
 * or "sold out". A signed-out visitor is sent to sign in first and comes back here.
 */
export function BuyForm({
  productSlug,
  salePriceCents,
  maxPerOrder,
  limitedPerCustomer = false,
}: {
  productSlug: string;
  salePriceCents: number;
  maxPerOrder: number;
  /** The product's limit per customer is `maxPerOrder` in all, not per order (the server counts what they have). */
  limitedPerCustomer?: boolean;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const productPath = `/products/${productSlug}`;
  const liveAvailable = useAvailable(productSlug);
  const stockKnown = liveAvailable !== undefined;
  const available = liveAvailable ?? 0;
  const signedIn = useSignedInCustomer() != null;
  const soldOut = stockKnown && available <= 0;
  const maxQuantity = Math.max(1, Math.min(maxPerOrder, available));
  const returning = useReturningChoice();

  const [chosenQuantity, setChosenQuantity] = useState<number | null>(null);
  // Fewer may be left than when the quantity was chosen (the page refreshes after a refusal): never ask for more.
  const quantity = Math.min(chosenQuantity ?? returning.quantity ?? 1, maxQuantity);
  const priceCents = salePriceCents * quantity;
  const points = usePointsChoice({ signedIn, priceCents, returningPoints: returning.points });
  const wallet = useQuery(trpc.wallet.get.queryOptions(undefined, { enabled: signedIn })).data;

  // One idempotency key per intent (this product × this quantity × these points), read and written synchronously so
  // that a double click sends the same key twice and the server starts one checkout. A new intent after success or a
  // new choice (the same key with other points is refused).
  const intent = useRef<{ choice: string; key: string } | null>(null);
  const keyFor = (choice: string) => {
    if (intent.current?.choice !== choice) intent.current = { choice, key: crypto.randomUUID() };
    return intent.current.key;
  };

  const start = useMutation(
    trpc.checkout.start.mutationOptions({
      onSuccess: ({ checkoutId }) => router.push(`/checkout/${checkoutId}`),
      onError: (error) => {
        if (error instanceof TRPCClientError && error.data?.code === "UNAUTHORIZED") {
          router.push(signInPathFor(productPath));
          return;
        }
        // A refusal usually means the stock moved (the live stock already shows it) or, for a product limited per
        // customer, that this customer already has theirs: the message stays, next to the quantity.
      },
    }),
  );
  const errors = formErrorsOf(start.error);
  const quantityError = errors.fields.quantity;
  const formError = errors.form ?? errors.fields.productSlug ?? errors.fields.idempotencyKey ?? errors.fields.pointsToUse;
  const busy = start.isPending || start.isSuccess || !stockKnown;
  const pointsToUse = points.pointsToUse;

  const options = Array.from({ length: maxQuantity }, (_, index) => ({ value: index + 1, label: String(index + 1) }));
  const hint = soldOut
    ? undefined
    : available < maxPerOrder
      ? `Only ${available} left.`
      : limitedPerCustomer
        ? `Limit ${maxPerOrder} per customer.`
        : `Up to ${maxPerOrder} per order.`;

  return (
    <>
      {available > 0 && (
        <div>
          <StockBadge available={available} />
        </div>
      )}
      <form
        noValidate
        aria-label="Buy"
        className="space-y-4 rounded-2xl border border-gray-200 bg-white p-5 shadow-sm"
        onSubmit={(event) => {
          event.preventDefault();
          if (soldOut || busy || points.error || points.quoting) return;
          if (!signedIn) {
            router.push(signInPathFor(productPath));
            return;
          }
          const input = { productSlug, quantity, idempotencyKey: keyFor(`${quantity}×${pointsToUse}`) };
          start.mutate(
            pointsToUse > 0 ? { ...input, pointsToUse } : input,
            {
              onSuccess: () => {
                intent.current = null;
              },
            },
          );
        }}
      >
        <FormError message={formError} />
        <SelectField
          label="Quantity"
          name="quantity"
          options={options}
          value={quantity}
          disabled={soldOut || busy}
          onChange={(event) => setChosenQuantity(Number(event.target.value))}
          error={quantityError}
          hint={hint}
          selectClassName="w-24"
        />
        {!soldOut && (
          <>
            <PointsField choice={points} disabled={busy} />
            <PaySummary
              priceCents={priceCents}
              points={{ used: pointsToUse, discountCents: points.discountCents, quoting: points.quoting }}
              balanceCents={signedIn ? wallet?.balanceCents : undefined}
              returnTo={productPathWithChoice(productPath, { quantity, points: pointsToUse })}
            />
          </>
        )}
        {soldOut ? (
          <button
            type="submit"
            disabled
            className="w-full cursor-not-allowed rounded-lg bg-gray-200 px-4 py-3 font-semibold text-gray-700"
          >
            Sold out
          </button>
        ) : (
          <button
            type="submit"
            disabled={busy || points.quoting}
            className="w-full rounded-lg bg-brand-600 px-4 py-3 text-lg font-semibold text-white hover:bg-brand-700 disabled:cursor-wait disabled:opacity-70"
          >
            {!stockKnown ? "Checking stock…" : busy ? "Starting checkout…" : "Buy now"}
          </button>
        )}
        <p className="text-center text-sm text-gray-600">
          {soldOut
            ? "None left right now. Check back soon."
            : signedIn
              ? pointsToUse > 0
                ? "Paid with your points and your prepaid wallet."
                : "Paid from your prepaid wallet."
              : "You'll sign in first; we'll bring you right back."}
        </p>
      </form>
    </>
  );
}
