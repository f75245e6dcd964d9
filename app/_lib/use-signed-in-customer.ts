"use client";

import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { signInPathFor } from "@/app/_lib/safe-redirect";
import { useTRPC } from "@/app/_trpc/client";

/**
 * Who is signed in, asked from the browser (`auth.me`): pages served the same to everyone (the catalog, product pages,
 * and the header on every page) learn it here rather than on the server. `undefined` until the answer comes.
 */
export function useSignedInCustomer() {
  const trpc = useTRPC();
  return useQuery(trpc.auth.me.queryOptions(undefined, { staleTime: 60_000 })).data;
}

/**
 * A page served the same to everyone that shows a customer their own data: once the API says nobody is signed in (a
 * session signed out elsewhere, or an account gone), the visitor is sent to sign in and back to `path`.
 */
export function useSendToSignInWhenSignedOut(path: string): void {
  const customer = useSignedInCustomer();
  const router = useRouter();
  useEffect(() => {
    if (customer === null) router.replace(signInPathFor(path));
  }, [customer, path, router]);
}
