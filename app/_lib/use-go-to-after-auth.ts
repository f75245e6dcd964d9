"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";

/**
 * After signing in, up or out: go where the person was heading, re-render server components as them, and forget
 * every answer the browser kept for whoever was signed in before (the header's `auth.me` among them).
 */
export function useGoToAfterAuth(destination: string) {
  const router = useRouter();
  const queryClient = useQueryClient();
  return () => {
    router.replace(destination);
    router.refresh();
    void queryClient.resetQueries();
  };
}
