"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/app/_trpc/client";
import type { LoyaltyQuote, LoyaltyQuoteInput } from "./points-contract";

/** Part of the stand-in for issue 15's API (points-contract.ts): once loyalty.quote is merged, the cast goes. */
type QuoteProcedure = {
  quote: { queryOptions(input: LoyaltyQuoteInput): { queryKey: readonly unknown[]; queryFn?: () => Promise<LoyaltyQuote> } };
};

/** loyalty.quote for an order, kept while a new one loads (so the price does not flicker as the shopper types). */
export function useLoyaltyQuote(input: LoyaltyQuoteInput, options: { enabled: boolean }) {
  const loyalty = useTRPC().loyalty as unknown as QuoteProcedure;
  return useQuery({ ...loyalty.quote.queryOptions(input), enabled: options.enabled, placeholderData: keepPreviousData, retry: false });
}

