"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { formErrorsOf } from "@/app/_lib/api-errors";
import { FormError, SubmitButton, TextField } from "@/app/_components/text-field";
import { useIdempotencyKey } from "@/app/_lib/use-idempotency-key";
import { useTRPC } from "@/app/_trpc/client";
import type { EntryPurchase, WalletView } from "@/server/retail/wallet/get-wallet";
import { formatCents, parseDollarsToCents } from "@/server/retail/money";
import { orderNumberOfCheckout } from "@/server/retail/orders/order-number";

const QUICK_AMOUNTS_CENTS = [5_000, 10_000, 20_000];

const ENTRY_LABEL = { deposit: "Top-up", debit: "Purchase", refund: "Refund" } as const;

/**
 * Balance, top-up form and ledger; each payment and refund links to its purchase. Sent from a product page that was
 * short, the amount is filled in and a top-up that went through takes the shopper back there (`returnTo`).
 */
export function WalletPanel({
  initialWallet,
  prefillAmount,
  returnTo,
}: {
  initialWallet: WalletView;
  prefillAmount?: string;
  returnTo?: string;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const wallet = useQuery(trpc.wallet.get.queryOptions(undefined, { initialData: initialWallet })).data;

  const [amountText, setAmountText] = useState(prefillAmount ?? "");
  const [amountError, setAmountError] = useState<string>();
  const [idempotencyKey, renewIdempotencyKey] = useIdempotencyKey();
  const topUp = useMutation(
    trpc.wallet.topUp.mutationOptions({
      onSuccess: async () => {
        setAmountText("");
        renewIdempotencyKey();
        await queryClient.invalidateQueries({ queryKey: trpc.wallet.get.queryKey() });
        if (returnTo) router.push(returnTo);
      },
    }),
  );
  const serverErrors = formErrorsOf(topUp.error);

  return (
    <div className="grid gap-6 md:grid-cols-[1fr_1.4fr]">
      <section aria-labelledby="balance-heading" className="space-y-4">
        <div className="rounded-2xl bg-brand-900 p-6 text-white">
          <h2 id="balance-heading" className="text-sm font-semibold tracking-wide text-brand-100 uppercase">
            Balance
          </h2>
          <p className="mt-1 text-4xl font-bold" data-testid="wallet-balance">
            {formatCents(wallet.balanceCents)}
          </p>
        </div>

        <form
          noValidate
          className="space-y-4 rounded-2xl border border-gray-200 bg-white p-6 shadow-sm"
          onSubmit={(event) => {
            event.preventDefault();
            const parsed = parseDollarsToCents(amountText);
            if (!parsed.ok) return setAmountError(parsed.message);
            setAmountError(undefined);
            topUp.mutate({ amountCents: parsed.cents, idempotencyKey });
          }}
        >
          <h2 className="text-lg font-semibold">Add money</h2>
          {returnTo && (
            <p className="text-sm text-gray-700" data-testid="top-up-return">
              Once it&apos;s added, we&apos;ll take you back to where you were.{" "}
              <Link href={returnTo} className="font-medium text-brand-700 hover:underline">
                Go back without topping up
              </Link>
            </p>
          )}
          <FormError message={serverErrors.form} />
          <TextField
            label="Amount (USD)"
            name="amount"
            inputMode="decimal"
            placeholder="200.00"
            value={amountText}
            onChange={(event) => setAmountText(event.target.value)}
            error={amountError ?? serverErrors.fields.amountCents}
          />
          <div className="flex gap-2" role="group" aria-label="Quick amounts">
            {QUICK_AMOUNTS_CENTS.map((cents) => (
              <button
                key={cents}
                type="button"
                onClick={() => setAmountText((cents / 100).toFixed(2))}
                className="rounded-full border border-gray-300 px-3 py-1 text-sm font-medium hover:bg-gray-50"
              >
                {formatCents(cents)}
              </button>
            ))}
          </div>
          <SubmitButton pending={topUp.isPending}>Top up</SubmitButton>
          {topUp.isSuccess && (
            <p role="status" className="text-sm font-medium text-emerald-700">
              Added {formatCents(topUp.data.entry.amountCents)} to your wallet.
            </p>
          )}
        </form>
      </section>

      <section aria-labelledby="history-heading" className="rounded-2xl border border-gray-200 bg-white p-6 shadow-sm">
        <h2 id="history-heading" className="text-lg font-semibold">
          History
        </h2>
        {wallet.entries.length === 0 ? (
          <p className="mt-3 text-gray-600">No movements yet. Top up to get ready for the sale.</p>
        ) : (
          <ol className="mt-3 divide-y divide-gray-100" aria-label="Wallet history, newest first">
            {wallet.entries.map((entry) => (
              <li key={entry.id} className="flex items-center justify-between gap-4 py-3" data-testid="wallet-entry">
                <div>
                  <p className="font-medium">{ENTRY_LABEL[entry.kind]}</p>
                  <p className="text-sm text-gray-500">
                    {entry.description} · {entry.purchase && <PurchaseLink purchase={entry.purchase} />}
                    {/* Shown in the reader's time zone, which the server cannot know: the text may differ after hydration. */}
                    <time dateTime={entry.createdAt.toISOString()} suppressHydrationWarning>{entry.createdAt.toLocaleString("en-US")}</time>
                  </p>
                </div>
                <div className="text-right">
                  <p className={`font-semibold ${entry.amountCents < 0 ? "text-gray-900" : "text-emerald-700"}`}>
                    {entry.amountCents > 0 ? "+" : ""}
                    {formatCents(entry.amountCents)}
                  </p>
                  <p className="text-xs text-gray-500">Balance {formatCents(entry.balanceAfterCents)}</p>
                </div>
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}

/** "Order #3F2A9C1E", to the order once there is one, to its checkout before (or when it never became one). */
function PurchaseLink({ purchase }: { purchase: EntryPurchase }) {
  const href = purchase.orderId ? `/orders/${purchase.orderId}` : `/checkout/${purchase.checkoutId}`;
  return (
    <>
      <Link href={href} className="font-medium text-brand-700 hover:underline">
        Order {orderNumberOfCheckout(purchase.checkoutId)}
      </Link>
      {" · "}
    </>
  );
}
