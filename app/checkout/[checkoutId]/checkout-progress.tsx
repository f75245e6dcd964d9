"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import type { CheckoutStatus } from "@/server/retail/checkout/get-checkout-status";
import { formatPoints } from "@/server/loyalty/points/format-points";
import { formatCents } from "@/server/retail/money";
import { orderNumberOfCheckout } from "@/server/retail/orders/order-number";
import { activityOf, stepperOf } from "../checkout-stepper-items";
import { checkoutStory, SLOW_STEP_MS, type CheckoutStory } from "../checkout-story";
import { OutcomeIcon } from "./checkout-icons";
import { ProgressBar, Stepper } from "./checkout-stepper";
import { useCheckoutStatus } from "./use-checkout-status";
import { useSlowActivity } from "./use-slow-activity";

/** Follows a checkout live until it finishes (pushed, or asked for when that fails), and says what happened in plain words. */
export function CheckoutProgress({ initialStatus }: { initialStatus: CheckoutStatus }) {
  const feed = useCheckoutStatus(initialStatus);
  const status = feed.status;
  const slow = useSlowActivity(activityOf(stepperOf(status)), SLOW_STEP_MS);
  const story = checkoutStory(status, { slow });
  const active = story.outcome === "in-progress" || story.outcome === "undoing";
  const outOfTouch = feed.outOfTouch;

  return (
    <div className="mx-auto grid max-w-4xl gap-6 md:grid-cols-[1fr_17rem]">
      <section className="space-y-8 rounded-2xl border border-gray-200 bg-white p-6 shadow-sm sm:p-8" aria-label="Checkout">
        <div role="status" aria-live="polite" aria-atomic="true" data-testid="checkout-status" className="flex flex-col gap-3 sm:flex-row sm:gap-4">
          <OutcomeIcon outcome={story.outcome} />
          <div className="min-w-0 space-y-2">
            <h1 className="text-2xl font-bold">{story.title}</h1>
            <p className="leading-relaxed text-gray-700" data-testid="checkout-message">
              {story.message}
            </p>
          </div>
        </div>

        {story.outcome === "in-progress" && (
          <ProgressBar doneCount={story.doneCount} stepCount={story.steps.length} message={story.message} />
        )}

        <Stepper steps={story.steps} />

        {active && outOfTouch && (
          <p className="text-sm text-gray-600">We lost touch with the shop for a moment. Still checking…</p>
        )}

        <NextSteps story={story} orderId={status.orderId} />
      </section>

      <OrderSummary status={status} story={story} />
    </div>
  );
}
function NextSteps({ story, orderId }: { story: CheckoutStory; orderId?: string }) {
  const { outcome, suggestTopUp } = story;
  const primary = "rounded-lg bg-brand-600 px-4 py-2.5 font-semibold text-white hover:bg-brand-700";
  const secondary = "rounded-lg border border-gray-300 px-4 py-2.5 font-semibold text-gray-800 hover:bg-gray-50";
  if (outcome === "confirmed") {
    return (
      <div className="flex flex-wrap gap-3">
        {orderId && (
          <Link href={`/orders/${orderId}`} className={primary}>
            View your order
          </Link>
        )}
        <Link href="/" className={secondary}>
          Keep shopping
        </Link>
      </div>
    );
  }
  if (outcome === "failed") {
    return (
      <div className="flex flex-wrap gap-3">
        {suggestTopUp && (
          <Link href="/wallet" className={primary}>
            Top up your wallet
          </Link>
        )}
        <Link href="/" className={suggestTopUp ? secondary : primary}>
          Back to the shop
        </Link>
        {story.pointsGivenBack && (
          <Link href="/points" className={secondary}>
            See your points
          </Link>
        )}
      </div>
    );
  }
  if (outcome === "needs-attention") {
    return (
      <div className="flex flex-wrap gap-3">
        <Link href="/orders" className={secondary}>
          Your orders
        </Link>
        <Link href="/" className={secondary}>
          Back to the shop
        </Link>
      </div>
    );
  }
  return null;
}

function OrderSummary({ status, story }: { status: CheckoutStatus; story: CheckoutStory }) {
  const paid = story.outcome === "confirmed";
  const going = story.outcome === "in-progress";
  const usesPoints = status.pointsRequested > 0;
  const redeemed = status.pointsUsed > 0;
  // Points not (or no longer) used: still to be used while the checkout goes on, else back or never taken.
  const unusedPoints = going
    ? `${formatPoints(status.pointsRequested)} asked for`
    : story.pointsGivenBack
      ? `${formatPoints(status.pointsRequested)} given back`
      : "None used";
  return (
    <aside aria-labelledby="summary-heading" className="h-fit rounded-2xl border border-gray-200 bg-white p-6 shadow-sm">
      <h2 id="summary-heading" className="text-lg font-semibold">
        Order summary
      </h2>
      <dl className="mt-4 space-y-3 text-sm">
        <SummaryLine term="Order number">
          <span className="font-mono" data-testid="checkout-order-number">
            {orderNumberOfCheckout(status.checkoutId)}
          </span>
        </SummaryLine>
        <SummaryLine term="Unicorn">{status.productName}</SummaryLine>
        <SummaryLine term="Quantity">{status.quantity}</SummaryLine>
        {usesPoints && <SummaryLine term="Price">{formatCents(status.amountCents)}</SummaryLine>}
        {usesPoints && (
          <SummaryLine term={redeemed ? `Points (${formatPoints(status.pointsUsed)})` : "Points"}>
            <span data-testid="checkout-discount">
              {redeemed ? `−${formatCents(status.discountCents)}` : unusedPoints}
            </span>
          </SummaryLine>
        )}
        <SummaryLine term="Payment">Prepaid wallet</SummaryLine>
        <div className="flex justify-between gap-4 border-t border-gray-100 pt-3 text-base">
          <dt className="font-semibold">{paid ? "Paid" : usesPoints && !redeemed && going ? "Total before points" : "Total"}</dt>
          <dd className="font-bold" data-testid="checkout-total">
            {formatCents(redeemed ? status.paidCents : status.amountCents)}
          </dd>
        </div>
      </dl>
    </aside>
  );
}

function SummaryLine({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="flex justify-between gap-4">
      <dt className="text-gray-600">{term}</dt>
      <dd className="text-right font-medium">{children}</dd>
    </div>
  );
}
