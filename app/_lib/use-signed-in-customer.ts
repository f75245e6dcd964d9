"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/app/_trpc/client";

/**
 * Who is signed in, asked from the browser (`auth.me`): pages served the same to everyone (the catalog, product pages,
 * and the header on every page) learn it here rather than on the server. `undefined` until the answer comes.
 */
export function useSignedInCustomer() {
  const trpc = useTRPC();
  return useQuery(trpc.auth.me.queryOptions(undefined, { staleTime: 60_000 })).data;
}
