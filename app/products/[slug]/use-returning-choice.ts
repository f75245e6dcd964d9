"use client";

import { useSyncExternalStore } from "react";
import { choiceInSearch, type BuyChoice } from "./purchase-sums";

const noSubscription = () => () => {};

/**
 * The choice a shopper made before going to top up (`?quantity=2&points=250`). The page is prerendered for everyone
 * and its address is read in the browser only: nothing on the server render, then the choice once hydrated.
 */
export function useReturningChoice(): Partial<BuyChoice> {
  const search = useSyncExternalStore(
    noSubscription,
    () => window.location.search,
    () => "",
  );
  return choiceInSearch(search);
}
