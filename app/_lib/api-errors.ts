import { TRPCClientError } from "@trpc/client";

/** Field errors from a failed procedure call (zod or a DomainError with a field), keyed by input name. */
export function fieldErrorsOf(error: unknown): Record<string, string | undefined> {
  if (!(error instanceof TRPCClientError)) return {};
  const fieldErrors = (error.data as { fieldErrors?: Record<string, string[] | undefined> } | undefined)?.fieldErrors;
  return Object.fromEntries(Object.entries(fieldErrors ?? {}).map(([field, messages]) => [field, messages?.[0]]));
}

/** A message a person can read, for errors not tied to a single field. */
export function messageOf(error: unknown): string {
  // No `data` means no answer from the server at all (offline, server down).
  if (error instanceof TRPCClientError && error.data) return error.message;
  return "We couldn't reach the shop. Check your connection and try again.";
}

/** Splits a failed call into errors shown next to fields and one shown above the form. */
export function formErrorsOf(error: unknown): { fields: Record<string, string | undefined>; form?: string } {
  if (!error) return { fields: {} };
  const fields = fieldErrorsOf(error);
  return { fields, form: Object.keys(fields).length === 0 ? messageOf(error) : undefined };
}
