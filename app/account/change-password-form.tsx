"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { formErrorsOf } from "@/app/_lib/api-errors";
import { FormError, SubmitButton, TextField } from "@/app/_components/text-field";
import { useTRPC } from "@/app/_trpc/client";

/**
 * A new password, given the current one. The new one is asked twice (checked here: there is no "forgot password" to
 * undo a typo); the server checks the rest and answers next to the field it is about.
 */
export function ChangePasswordForm() {
  const trpc = useTRPC();
  const [mismatch, setMismatch] = useState<string>();
  const change = useMutation(trpc.auth.changePassword.mutationOptions());
  const { fields, form: formError } = formErrorsOf(change.error);

  return (
    <form
      noValidate
      aria-labelledby="change-password-heading"
      className="space-y-4 rounded-2xl border border-gray-200 bg-white p-6 shadow-sm"
      onSubmit={(event) => {
        event.preventDefault();
        const form = event.currentTarget;
        const data = new FormData(form);
        const next = String(data.get("next"));
        if (next !== String(data.get("repeat"))) return setMismatch("The two new passwords are not the same.");
        setMismatch(undefined);
        change.mutate({ current: String(data.get("current")), next }, { onSuccess: () => form.reset() });
      }}
    >
      <h2 id="change-password-heading" className="text-lg font-semibold">
        Change your password
      </h2>
      <FormError message={formError} />
      <TextField label="Current password" name="current" type="password" autoComplete="current-password" error={fields.current} />
      <TextField
        label="New password"
        name="next"
        type="password"
        autoComplete="new-password"
        hint="At least 8 characters, and not one of the common passwords."
        error={fields.next}
      />
      <TextField label="New password again" name="repeat" type="password" autoComplete="new-password" error={mismatch} />
      <SubmitButton pending={change.isPending}>Change password</SubmitButton>
      {change.isSuccess && !change.isPending && (
        <p role="status" className="text-sm font-medium text-emerald-700">
          Your password is changed. You are still signed in here; every other device and browser has been signed out.
        </p>
      )}
    </form>
  );
}
