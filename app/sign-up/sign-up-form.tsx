"use client";

import { useMutation } from "@tanstack/react-query";
import { formErrorsOf } from "@/app/_lib/api-errors";
import { useGoToAfterAuth } from "@/app/_lib/use-go-to-after-auth";
import { FormError, SubmitButton, TextField } from "@/app/_components/text-field";
import { useTRPC } from "@/app/_trpc/client";

export function SignUpForm({ destination }: { destination: string }) {
  const trpc = useTRPC();
  const signUp = useMutation(trpc.auth.signUp.mutationOptions({ onSuccess: useGoToAfterAuth(destination) }));
  const { fields: fieldErrors, form: formError } = formErrorsOf(signUp.error);

  return (
    <form
      noValidate
      className="space-y-4 rounded-2xl border border-gray-200 bg-white p-6 shadow-sm"
      onSubmit={(event) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget);
        signUp.mutate({
          email: String(form.get("email")),
          name: String(form.get("name")),
          password: String(form.get("password")),
        });
      }}
    >
      <FormError message={formError} />
      <TextField label="Name" name="name" autoComplete="name" required error={fieldErrors.name} />
      <TextField label="Email" name="email" type="email" autoComplete="email" required error={fieldErrors.email} />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        hint="At least 8 characters, and not one of the common passwords."
        error={fieldErrors.password}
      />
      <SubmitButton pending={signUp.isPending || signUp.isSuccess}>Create account</SubmitButton>
    </form>
  );
}
