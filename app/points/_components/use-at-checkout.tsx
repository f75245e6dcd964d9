import Link from "next/link";
import { formatPoints } from "@/server/loyalty/points/format-points";

/**
 * Where points are spent: at checkout, on a unicorn's page, where the shopper sees what they take off before buying.
 * (A redemption here gave the customer nothing in return, so the dashboard no longer offers one.)
 */
export function UseAtCheckout({ availablePoints }: { availablePoints: number }) {
  return (
    <section
      aria-labelledby="points-use-heading"
      className="min-w-0 space-y-3 rounded-2xl border border-gray-200 bg-white p-6 shadow-sm"
      data-testid="points-use-at-checkout"
    >
      <h2 id="points-use-heading" className="text-lg font-semibold">
        Use your points at checkout
      </h2>
      <p className="text-gray-700">
        {availablePoints > 0
          ? `Your ${formatPoints(availablePoints)} can pay for part of your next unicorn.`
          : "Points you earn can pay for part of your next unicorn."}{" "}
        On a unicorn&apos;s page, choose how many to use: you&apos;ll see what they take off the price before you buy.
        The points that expire first are used first.
      </p>
      <Link
        href="/"
        className="inline-block rounded-lg bg-brand-600 px-4 py-2.5 font-semibold text-white hover:bg-brand-700"
      >
        Browse the unicorns
      </Link>
    </section>
  );
}
