"use client";

import { useMutation } from "@tanstack/react-query";
import { formErrorsOf } from "@/app/_lib/api-errors";
import { useGoToAfterAuth } from "@/app/_lib/use-go-to-after-auth";
import { FormError, SubmitButton, TextField } from "@/app/_components/text-field";
import { useTRPC } from "@/app/_trpc/client";

export function SignInForm({ destination }: { destination: string }) {
  const trpc = useTRPC();
  const signIn = useMutation(trpc.auth.signIn.mutationOptions({ onSuccess: useGoToAfterAuth(destination) }));
  const { fields: fieldErrors, form: formError } = formErrorsOf(signIn.error);

  return (
    <form
      noValidate
      className="space-y-4 rounded-2xl border border-gray-200 bg-white p-6 shadow-sm"
      onSubmit={(event) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget);
        signIn.mutate({ email: String(form.get("email")), password: String(form.get("password")) });
      }}
    >
      <FormError message={formError} />
      <TextField label="Email" name="email" type="email" autoComplete="email" required error={fieldErrors.email} />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        error={fieldErrors.password}
      />
      <SubmitButton pending={signIn.isPending || signIn.isSuccess}>Sign in</SubmitButton>
    </form>
  );
}
