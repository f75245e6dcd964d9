import type { InputHTMLAttributes, ReactNode } from "react";

/** The props that tie a form control to its label, hint and error. */
export type ControlProps = { id: string; "aria-invalid"?: true; "aria-describedby"?: string };

/**
 * A label above, a hint or an error right under, announced to screen readers; `children` renders the control with
 * the props that tie it to them.
 */
export function FieldFrame({
  label,
  name,
  error,
  hint,
  children,
}: {
  label: string;
  name: string;
  error?: string;
  hint?: string;
  children: (control: ControlProps) => ReactNode;
}) {
  const id = `field-${name}`;
  const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(" ") || undefined;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-gray-800">
        {label}
      </label>
      {children({ id, "aria-invalid": error ? true : undefined, "aria-describedby": describedBy })}
      {hint && !error && (
        <p id={`${id}-hint`} className="text-sm text-gray-500">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="text-sm font-medium text-rose-700" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** A labelled input with its error shown right under it and announced to screen readers. */
export function TextField({
  label,
  name,
  error,
  hint,
  ...inputProps
}: { label: string; name: string; error?: string; hint?: string } & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <FieldFrame label={label} name={name} error={error} hint={hint}>
      {(control) => (
        <input
          {...control}
          name={name}
          className={`block w-full rounded-lg border px-3 py-2 text-base text-gray-900 shadow-sm ${error ? "border-rose-500" : "border-gray-300"}`}
          {...inputProps}
        />
      )}
    </FieldFrame>
  );
}

export function FormError({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <p role="alert" className="rounded-lg bg-rose-50 px-3 py-2 text-sm font-medium text-rose-800">
      {message}
    </p>
  );
}

export function SubmitButton({ pending, children }: { pending: boolean; children: string }) {
  return (
    <button
      type="submit"
      disabled={pending}
      className="w-full rounded-lg bg-brand-600 px-4 py-2.5 font-semibold text-white hover:bg-brand-700 disabled:cursor-wait disabled:opacity-70"
    >
      {pending ? "Please wait…" : children}
    </button>
  );
}
