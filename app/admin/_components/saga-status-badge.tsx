import type { SagaStatus } from "@/server/saga/saga-status";

/**
 * Each saga status in words and colour (never colour alone), in the order the monitor lists them: what needs a person
 * first, what is settled last. Every status must have an entry.
 */
export const SAGA_STATUS: Record<SagaStatus, { label: string; className: string }> = {
  needs_attention: { label: "Needs attention", className: "bg-rose-100 text-rose-900 ring-rose-300" },
  running: { label: "Running", className: "bg-sky-100 text-sky-900 ring-sky-300" },
  compensating: { label: "Compensating", className: "bg-amber-100 text-amber-900 ring-amber-300" },
  compensated: { label: "Compensated", className: "bg-gray-100 text-gray-800 ring-gray-300" },
  completed: { label: "Completed", className: "bg-emerald-100 text-emerald-900 ring-emerald-300" },
};

/** The statuses in display order (the filter's options, the count chips): SAGA_STATUS's own order. */
export const SAGA_STATUS_ORDER = Object.keys(SAGA_STATUS) as readonly SagaStatus[];

export function SagaStatusBadge({ status }: { status: SagaStatus }) {
  const { label, className } = SAGA_STATUS[status];
  return (
    <span className={`inline-block rounded-full px-2 py-0.5 text-xs font-semibold whitespace-nowrap ring-1 ${className}`} data-status={status}>
      {label}
    </span>
  );
}
