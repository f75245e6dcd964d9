"use client";

import type { ReactNode, Ref } from "react";

/**
 * The parts of an admin form whose action is confirmed in a ConfirmDialog first (adjusting points, the redemption
 * rule): its submit button, which opens the dialog, and the region its answer appears in.
 */

/** Not disabled while the request runs: focus comes back here after the dialog and must not be lost. */
export function ConfirmingSubmitButton({
  ref,
  pending,
  wide = false,
  children,
}: {
  ref: Ref<HTMLButtonElement>;
  pending: boolean;
  wide?: boolean;
  children: string;
}) {
  return (
    <button
      ref={ref}
      type="submit"
      aria-disabled={pending || undefined}
      className={`${wide ? "w-full " : ""}rounded-lg bg-brand-600 px-4 py-2.5 font-semibold text-white hover:bg-brand-700 aria-disabled:cursor-wait aria-disabled:opacity-70`}
    >
      {pending ? "Please wait…" : children}
    </button>
  );
}

/** Always there, empty until an answer, so that screen readers announce the answer when it comes. */
export function FormAnswer({ testId, children }: { testId: string; children?: ReactNode }) {
  return (
    <div role="status" aria-live="polite" data-testid={testId}>
      {children && <p className="mt-3 rounded-lg bg-emerald-50 px-3 py-2 text-sm font-medium break-words text-emerald-900">{children}</p>}
    </div>
  );
}
