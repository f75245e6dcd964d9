import type { CheckoutOutcome } from "../checkout-story";

/** Icons of the checkout page; decorative (aria-hidden): every state is also said in words. */

export function OutcomeIcon({ outcome }: { outcome: CheckoutOutcome }) {
  const base = "flex size-12 shrink-0 items-center justify-center rounded-full";
  switch (outcome) {
    case "in-progress":
      return (
        <span aria-hidden="true" className={`${base} bg-brand-100 text-brand-700`}>
          <Spinner className="size-6" />
        </span>
      );
    case "undoing":
      return (
        <span aria-hidden="true" className={`${base} bg-amber-100 text-amber-700`}>
          <Spinner className="size-6" />
        </span>
      );
    case "confirmed":
      return (
        <span aria-hidden="true" className={`${base} bg-emerald-100 text-emerald-700`}>
          <CheckMark className="size-7" />
        </span>
      );
    case "failed":
      return (
        <span aria-hidden="true" className={`${base} bg-rose-100 text-rose-700`}>
          <Cross className="size-7" />
        </span>
      );
    case "needs-attention":
      return (
        <span aria-hidden="true" className={`${base} bg-amber-100 text-2xl font-bold text-amber-800`}>
          !
        </span>
      );
  }
}

export function Spinner({ className }: { className?: string }) {
  return (
    <svg viewBox="0 0 24 24" fill="none" className={`motion-safe:animate-spin ${className ?? ""}`}>
      <circle cx="12" cy="12" r="9" stroke="currentColor" strokeOpacity="0.25" strokeWidth="3" />
      <path d="M21 12a9 9 0 0 0-9-9" stroke="currentColor" strokeWidth="3" strokeLinecap="round" />
    </svg>
  );
}

export function CheckMark({ className = "size-5" }: { className?: string }) {
  return (
    <svg viewBox="0 0 24 24" fill="none" className={className}>
      <path d="M5 12.5l4.5 4.5L19 7.5" stroke="currentColor" strokeWidth="3" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

export function Cross({ className = "size-5" }: { className?: string }) {
  return (
    <svg viewBox="0 0 24 24" fill="none" className={className}>
      <path d="M7 7l10 10M17 7L7 17" stroke="currentColor" strokeWidth="3" strokeLinecap="round" />
    </svg>
  );
}

export function UndoArrow() {
  return (
    <svg viewBox="0 0 24 24" fill="none" className="size-5">
      <path d="M9 14L4 9l5-5" stroke="currentColor" strokeWidth="2.5" strokeLinecap="round" strokeLinejoin="round" />
      <path d="M4 9h10.5a5.5 5.5 0 0 1 0 11H11" stroke="currentColor" strokeWidth="2.5" strokeLinecap="round" />
    </svg>
  );
}
