"use client";

import { useMutation } from "@tanstack/react-query";
import { useGoToAfterAuth } from "@/app/_lib/use-go-to-after-auth";
import { useTRPC } from "@/app/_trpc/client";

export function SignOutButton() {
  const trpc = useTRPC();
  const signOut = useMutation(trpc.auth.signOut.mutationOptions({ onSuccess: useGoToAfterAuth("/") }));
  return (
    <button
      type="button"
      onClick={() => signOut.mutate()}
      disabled={signOut.isPending}
      className="rounded-md px-2 py-1 text-sm font-medium text-gray-700 hover:bg-gray-100"
    >
      Sign out
    </button>
  );
}
