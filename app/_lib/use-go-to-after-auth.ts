"use client";

import { useRouter } from "next/navigation";

/** After signing in or up: go where the person was heading, and re-render server components as them. */
export function useGoToAfterAuth(destination: string) {
  const router = useRouter();
  return () => {
    router.replace(destination);
    router.refresh();
  };
}
