"use client";

/** Shown instead of a stack trace when a page fails unexpectedly. */
export default function ErrorPage({ reset }: { error: Error; reset: () => void }) {
  return (
    <div className="mx-auto max-w-md space-y-3 py-16 text-center" role="alert">
      <h1 className="text-2xl font-bold">Something went wrong on our side</h1>
      <p className="text-gray-600">Nothing was changed. Please try again in a moment.</p>
      <button type="button" onClick={reset} className="rounded-lg bg-brand-600 px-4 py-2 font-semibold text-white">
        Try again
      </button>
    </div>
  );
}
