import Link from "next/link";
import { formatPoints } from "@/server/loyalty/points/format-points";
import { formatCents } from "@/server/retail/money";
import { shortfallCents, shortfallText, toPayCents, topUpAmountFor, topUpPathFor } from "./purchase-sums";

/**
 * What the shopper will pay, before they confirm: the price, what their points take off, what the wallet pays, and
 * (signed in) the wallet's balance and how much it is short, with a Top up that fills that in and comes back here.
 */
export function PaySummary({
  priceCents,
  points,
  balanceCents,
  returnTo,
}: {
  priceCents: number;
  /** The points chosen and what they take off; none chosen, none shown. */
  points: { used: number; discountCents: number; quoting: boolean };
  /** The wallet's balance, when the shopper is signed in and it is known. */
  balanceCents?: number;
  /** This page with the shopper's choice, to come back to after topping up. */
  returnTo: string;
}) {
  const toPay = toPayCents(priceCents, points.discountCents);
  const short = balanceCents === undefined ? 0 : shortfallCents(toPay, balanceCents);
  return (
    <div className="space-y-3">
      <dl className="space-y-1 text-sm">
        {points.used > 0 && (
          <>
            <Line term="Price">{formatCents(priceCents)}</Line>
            <Line term={`Points (${formatPoints(points.used)})`}>
              <span data-testid="buy-discount">{points.quoting ? "Working out…" : `−${formatCents(points.discountCents)}`}</span>
            </Line>
          </>
        )}
        <div className="flex items-baseline justify-between gap-4">
          <dt className="font-medium text-gray-800">{points.used > 0 ? "To pay from your wallet" : "Total"}</dt>
          <dd className="text-2xl font-bold text-gray-900" data-testid="buy-total">
            {formatCents(toPay)}
          </dd>
        </div>
        {balanceCents !== undefined && (
          <Line term="Your wallet">
            <span data-testid="buy-wallet-balance">{formatCents(balanceCents)}</span>
          </Line>
        )}
      </dl>
      {short > 0 && (
        <div className="flex flex-wrap items-center justify-between gap-2 rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900">
          <p className="font-medium" data-testid="buy-shortfall">
            {shortfallText(short)}
          </p>
          <Link
            href={topUpPathFor(topUpAmountFor(short), returnTo)}
            className="rounded-lg border border-amber-300 bg-white px-3 py-1.5 font-semibold text-amber-900 hover:bg-amber-100"
          >
            Top up {formatCents(topUpAmountFor(short))}
          </Link>
        </div>
      )}
    </div>
  );
}

function Line({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <div className="flex justify-between gap-4">
      <dt className="text-gray-600">{term}</dt>
      <dd className="font-medium text-gray-900">{children}</dd>
    </div>
  );
}
