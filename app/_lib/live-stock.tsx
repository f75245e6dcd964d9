"use client";

import { useQuery } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { createContext, useContext, type ReactNode } from "react";
import { useTRPC } from "@/app/_trpc/client";
import type { StockLevels } from "@/server/retail/catalog/stock-levels";

/** How often the stock is asked for while the live stream is down. */
const FALLBACK_POLL_MS = 1_000;

const LiveStock = createContext<StockLevels | undefined>(undefined);

/**
 * The stock of every unicorn, live: the catalog and product pages are cached for everyone, so "N left" and "Sold out"
 * come from here, pushed by `catalog.onStock` as the database changes. If the stream breaks, `catalog.stock` is asked
 * once a second until it is back.
 */
export function LiveStockProvider({ children }: { children: ReactNode }) {
  const trpc = useTRPC();
  const stream = useSubscription(trpc.catalog.onStock.subscriptionOptions());
  // "pending" is tRPC's word for a stream that is open and delivering; connecting or failed, the page asks instead.
  const streamDown = stream.status !== "pending";
  const polled = useQuery(
    trpc.catalog.stock.queryOptions(undefined, { enabled: streamDown, refetchInterval: FALLBACK_POLL_MS, staleTime: 0 }),
  );
  const levels = streamDown ? (polled.data ?? stream.data) : stream.data;
  return <LiveStock.Provider value={levels}>{children}</LiveStock.Provider>;
}

/** What is available of this unicorn now, or undefined until the first answer. */
export function useAvailable(slug: string): number | undefined {
  const levels = useContext(LiveStock);
  return levels?.[slug] ?? (levels ? 0 : undefined);
}
