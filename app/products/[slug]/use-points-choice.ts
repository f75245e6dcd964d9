"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { parsePoints } from "@/app/_lib/parse-points";
import { useTRPC } from "@/app/_trpc/client";
import { formatPoints } from "@/server/loyalty/points/format-points";

export type PointsChoice = {
  /** Points and the quote are shown (signed in, with points, and Loyalty answers quotes). */
  offered: boolean;
  /** Points the customer has now (the dashboard's number). */
  availablePoints: number;
  /** The most this order can use (loyalty.quote's maxPoints), once known. */
  maxPoints?: number;
  text: string;
  setText(text: string): void;
  /** What the checkout will be asked to use (0: none). */
  pointsToUse: number;
  /** What they take off this order, once Loyalty has quoted exactly these points. */
  discountCents: number;
  /** The quote for the points asked is on its way. */
  quoting: boolean;
  /** Loyalty could not say what points are worth: buying without them still works. */
  quoteFailed: boolean;
  error?: string;
};

/**
 * How many points the shopper chooses to use on this order, and what Loyalty says they are worth (`loyalty.quote`,
 * which also says the most this order can use): asked again as the choice or the price changes, the last answer kept
 * meanwhile so the price does not flicker as the shopper types.
 */
export function usePointsChoice(options: { signedIn: boolean; priceCents: number; returningPoints?: number }): PointsChoice {
  const trpc = useTRPC();
  const summary = useQuery(trpc.loyalty.summary.queryOptions(undefined, { enabled: options.signedIn }));
  const availablePoints = summary.data?.availablePoints ?? 0;
  const [typed, setText] = useState<string | null>(null);
  const text = typed ?? (options.returningPoints ? String(options.returningPoints) : "");

  const parsed = text.trim() === "" ? ({ ok: true, points: 0 } as const) : parsePoints(text);
  const asked = parsed.ok ? parsed.points : 0;
  const quote = useQuery(
    trpc.loyalty.quote.queryOptions(
      { points: asked, amountCents: options.priceCents },
      { enabled: options.signedIn && availablePoints > 0, placeholderData: keepPreviousData, retry: false },
    ),
  );
  const maxPoints = quote.data?.maxPoints;
  const tooMany = maxPoints !== undefined && asked > maxPoints;
  const error = !parsed.ok
    ? parsed.message
    : tooMany
      ? maxPoints === 0
        ? "This order can't use any of your points right now."
        : `This order can use at most ${formatPoints(maxPoints)}.`
      : undefined;
  // Only a quote of exactly these points, for this price, counts: the one kept from before may be for other ones.
  const current = quote.data && !quote.isPlaceholderData ? quote.data : undefined;
  const discountCents = asked > 0 && !error && current?.points === asked ? current.discountCents : 0;

  const offered = options.signedIn && availablePoints > 0 && !quote.isError;
  return {
    offered,
    availablePoints,
    maxPoints,
    text,
    setText,
    pointsToUse: error || !offered ? 0 : asked,
    discountCents,
    quoting: offered && asked > 0 && !error && current === undefined,
    quoteFailed: quote.isError,
    error,
  };
}
