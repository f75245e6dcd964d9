"use client";

import { useMutation } from "@tanstack/react-query";
import { FormError } from "@/app/_components/text-field";
import { ConfirmButton } from "@/app/admin/_components/confirm-button";
import { messageOf } from "@/app/_lib/api-errors";
import { useGoToAfterAuth } from "@/app/_lib/use-go-to-after-auth";
import { useTRPC } from "@/app/_trpc/client";

/** Signs the customer out on every device, this one included, once they confirm. */
export function SignOutEverywhere() {
  const trpc = useTRPC();
  const signOut = useMutation(
    trpc.auth.signOutEverywhere.mutationOptions({ onSuccess: useGoToAfterAuth("/sign-in?signedOut=everywhere") }),
  );
  return (
    <section aria-labelledby="sign-out-everywhere-heading" className="space-y-3 rounded-2xl border border-gray-200 bg-white p-6 shadow-sm">
      <h2 id="sign-out-everywhere-heading" className="text-lg font-semibold">
        Sign out everywhere
      </h2>
      <p className="text-sm text-gray-600">
        Signed in on a device you no longer have, or a shared computer? This signs you out on every device and browser,
        this one too. Your password stays the same.
      </p>
      <FormError message={signOut.error ? messageOf(signOut.error) : undefined} />
      <ConfirmButton
        label="Sign out everywhere"
        question="Sign out on every device?"
        tone="danger"
        pending={signOut.isPending || signOut.isSuccess}
        onConfirm={() => signOut.mutate()}
      >
        Every device and browser signed in to your account is signed out, this one included. You can sign in again
        with your password.
      </ConfirmButton>
    </section>
  );
}
