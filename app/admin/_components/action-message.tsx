/** The answer to an operator's action, announced: what was done, or why there was nothing to do. */
export function ActionMessage({ outcome, error }: { outcome?: { done: boolean; message: string }; error?: string }) {
  return (
    <div role="status" aria-live="polite" className="min-h-0">
      {error ? (
        <p className="rounded-lg bg-rose-50 px-3 py-2 text-sm font-medium text-rose-800" data-testid="action-message">
          {error}
        </p>
      ) : outcome ? (
        <p
          className={`rounded-lg px-3 py-2 text-sm font-medium ${outcome.done ? "bg-emerald-50 text-emerald-900" : "bg-amber-50 text-amber-900"}`}
          data-testid="action-message"
        >
          {outcome.message}
        </p>
      ) : null}
    </div>
  );
}
