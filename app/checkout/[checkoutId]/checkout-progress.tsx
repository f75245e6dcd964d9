"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "@/app/_trpc/client";
import type { CheckoutStatus } from "@/server/retail/checkout/get-checkout-status";
import { formatCents } from "@/server/retail/money";
import { checkoutStory, isFinished, STEPPER, type CheckoutOutcome, type StepperItem, type StepState } from "../checkout-story";

/** How often a running checkout is asked where it stands. */
const POLL_INTERVAL_MS = 500;

/** Follows a checkout live until it finishes, and says what happened in plain words. */
export function CheckoutProgress({ initialStatus }: { initialStatus: CheckoutStatus }) {
  const trpc = useTRPC();
  const query = useQuery(
    trpc.checkout.status.queryOptions(
      { checkoutId: initialStatus.checkoutId },
      {
        initialData: initialStatus,
        refetchInterval: (current) => (current.state.data && isFinished(current.state.data) ? false : POLL_INTERVAL_MS),
      },
    ),
  );
  const status = query.data;
  const story = checkoutStory(status);
  const active = story.outcome === "in-progress" || story.outcome === "undoing";

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

        {story.outcome === "in-progress" && <ProgressBar doneCount={story.doneCount} message={story.message} />}

        <Stepper steps={story.steps} />

        {active && query.isError && (
          <p className="text-sm text-gray-600">We lost touch with the shop for a moment. Still checking…</p>
        )}

        <NextSteps outcome={story.outcome} orderId={status.orderId} suggestTopUp={story.suggestTopUp} />
      </section>

      <OrderSummary status={status} paid={story.outcome === "confirmed"} />
    </div>
  );
}

function ProgressBar({ doneCount, message }: { doneCount: number; message: string }) {
  // Half a step for the one under way, so the bar moves as soon as the checkout starts.
  const percent = Math.round(((doneCount + 0.5) / STEPPER.length) * 100);
  return (
    <div
      role="progressbar"
      aria-label="Checkout progress"
      aria-valuemin={0}
      aria-valuemax={STEPPER.length}
      aria-valuenow={doneCount}
      aria-valuetext={`${doneCount} of ${STEPPER.length} steps done. ${message}`}
      className="h-2 overflow-hidden rounded-full bg-brand-100"
    >
      <div
        className="h-full rounded-full bg-brand-600 transition-[width] duration-500 ease-out motion-safe:animate-pulse"
        style={{ width: `${percent}%` }}
      />
    </div>
  );
}

function Stepper({ steps }: { steps: StepperItem[] }) {
  return (
    <ol aria-label="Checkout steps" className="grid grid-cols-3 gap-2">
      {steps.map((item, index) => (
        <li
          key={item.step}
          data-testid={`step-${item.step}`}
          data-state={item.state}
          className="relative flex flex-col items-center gap-2 text-center"
        >
          {index > 0 && (
            <span
              aria-hidden="true"
              className={`absolute top-5 right-1/2 h-0.5 w-full -translate-y-1/2 ${item.state === "done" ? "bg-emerald-500" : "bg-gray-200"}`}
            />
          )}
          <StepIcon state={item.state} number={index + 1} />
          <span className="font-semibold text-gray-900">{item.label}</span>
          <span className={`text-sm font-medium ${STATE_TEXT_CLASS[item.state]}`}>
            <span className="sr-only">: </span>
            {item.stateText}
          </span>
        </li>
      ))}
    </ol>
  );
}

const STATE_TEXT_CLASS: Record<StepState, string> = {
  waiting: "text-gray-500",
  "not-started": "text-gray-500",
  "in-progress": "text-brand-700",
  retrying: "text-amber-700",
  done: "text-emerald-700",
  failed: "text-rose-700",
  undoing: "text-amber-700",
  undone: "text-gray-700",
};

function StepIcon({ state, number }: { state: StepState; number: number }) {
  const circle = "relative z-10 flex size-10 items-center justify-center rounded-full text-sm font-bold";
  switch (state) {
    case "done":
      return (
        <span aria-hidden="true" className={`${circle} bg-emerald-600 text-white`}>
          <CheckMark />
        </span>
      );
    case "failed":
      return (
        <span aria-hidden="true" className={`${circle} bg-rose-600 text-white`}>
          <Cross />
        </span>
      );
    case "undone":
      return (
        <span aria-hidden="true" className={`${circle} border-2 border-gray-400 bg-white text-gray-600`}>
          <UndoArrow />
        </span>
      );
    case "in-progress":
    case "retrying":
    case "undoing":
      return (
        <span
          aria-hidden="true"
          className={`${circle} border-2 bg-white ${state === "in-progress" ? "border-brand-600 text-brand-600" : "border-amber-500 text-amber-600"}`}
        >
          <Spinner className="size-5" />
        </span>
      );
    case "waiting":
      return (
        <span aria-hidden="true" className={`${circle} border-2 border-gray-300 bg-white text-gray-500`}>
          {number}
        </span>
      );
    case "not-started":
      return (
        <span aria-hidden="true" className={`${circle} border-2 border-dashed border-gray-300 bg-gray-50 text-gray-400`}>
          {number}
        </span>
      );
  }
}

function OutcomeIcon({ outcome }: { outcome: CheckoutOutcome }) {
  const base = "flex size-12 shrink-0 items-center justify-center rounded-full";
  switch (outcome) {
    case "in-progress":
      return (
        <span aria-hidden="true" className={`${base} bg-brand-100 text-brand-700`}>
          <Spinner className="size-6" />
        </span>
      );
    case "undoing":
      return (
        <span aria-hidden="true" className={`${base} bg-amber-100 text-amber-700`}>
          <Spinner className="size-6" />
        </span>
      );
    case "confirmed":
      return (
        <span aria-hidden="true" className={`${base} bg-emerald-100 text-emerald-700`}>
          <CheckMark className="size-7" />
        </span>
      );
    case "failed":
      return (
        <span aria-hidden="true" className={`${base} bg-rose-100 text-rose-700`}>
          <Cross className="size-7" />
        </span>
      );
    case "needs-attention":
      return (
        <span aria-hidden="true" className={`${base} bg-amber-100 text-2xl font-bold text-amber-800`}>
          !
        </span>
      );
  }
}

function NextSteps({ outcome, orderId, suggestTopUp }: { outcome: CheckoutOutcome; orderId?: string; suggestTopUp: boolean }) {
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

function OrderSummary({ status, paid }: { status: CheckoutStatus; paid: boolean }) {
  return (
    <aside aria-labelledby="summary-heading" className="h-fit rounded-2xl border border-gray-200 bg-white p-6 shadow-sm">
      <h2 id="summary-heading" className="text-lg font-semibold">
        Order summary
      </h2>
      <dl className="mt-4 space-y-3 text-sm">
        <div className="flex justify-between gap-4">
          <dt className="text-gray-600">Unicorn</dt>
          <dd className="text-right font-medium">{status.productName}</dd>
        </div>
        <div className="flex justify-between gap-4">
          <dt className="text-gray-600">Quantity</dt>
          <dd className="font-medium">{status.quantity}</dd>
        </div>
        <div className="flex justify-between gap-4">
          <dt className="text-gray-600">Payment</dt>
          <dd className="font-medium">Prepaid wallet</dd>
        </div>
        <div className="flex justify-between gap-4 border-t border-gray-100 pt-3 text-base">
          <dt className="font-semibold">{paid ? "Paid" : "Total"}</dt>
          <dd className="font-bold" data-testid="checkout-total">
            {formatCents(status.amountCents)}
          </dd>
        </div>
      </dl>
      <p className="mt-4 text-xs text-gray-500">
        Checkout reference <span className="font-mono">{status.checkoutId.slice(0, 8).toUpperCase()}</span>
      </p>
    </aside>
  );
}

function Spinner({ className }: { className?: string }) {
  return (
    <svg viewBox="0 0 24 24" fill="none" className={`motion-safe:animate-spin ${className ?? ""}`}>
      <circle cx="12" cy="12" r="9" stroke="currentColor" strokeOpacity="0.25" strokeWidth="3" />
      <path d="M21 12a9 9 0 0 0-9-9" stroke="currentColor" strokeWidth="3" strokeLinecap="round" />
    </svg>
  );
}

function CheckMark({ className = "size-5" }: { className?: string }) {
  return (
    <svg viewBox="0 0 24 24" fill="none" className={className}>
      <path d="M5 12.5l4.5 4.5L19 7.5" stroke="currentColor" strokeWidth="3" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

function Cross({ className = "size-5" }: { className?: string }) {
  return (
    <svg viewBox="0 0 24 24" fill="none" className={className}>
      <path d="M7 7l10 10M17 7L7 17" stroke="currentColor" strokeWidth="3" strokeLinecap="round" />
    </svg>
  );
}

function UndoArrow() {
  return (
    <svg viewBox="0 0 24 24" fill="none" className="size-5">
      <path d="M9 14L4 9l5-5" stroke="currentColor" strokeWidth="2.5" strokeLinecap="round" strokeLinejoin="round" />
      <path d="M4 9h10.5a5.5 5.5 0 0 1 0 11H11" stroke="currentColor" strokeWidth="2.5" strokeLinecap="round" />
    </svg>
  );
}
