import type { SagaStatusName } from "../_lib/admin-api";

/** Each saga status in words and colour (never colour alone). */
export const SAGA_STATUS: Record<SagaStatusName, { label: string; className: string }> = {
  running: { label: "Running", className: "bg-sky-100 text-sky-900 ring-sky-300" },
  completed: { label: "Completed", className: "bg-emerald-100 text-emerald-900 ring-emerald-300" },
  compensating: { label: "Compensating", className: "bg-amber-100 text-amber-900 ring-amber-300" },
  compensated: { label: "Compensated", className: "bg-gray-100 text-gray-800 ring-gray-300" },
  needs_attention: { label: "Needs attention", className: "bg-rose-100 text-rose-900 ring-rose-300" },
};

export const SAGA_STATUS_ORDER: SagaStatusName[] = ["needs_attention", "running", "compensating", "compensated", "completed"];

export function SagaStatusBadge({ status }: { status: SagaStatusName }) {
  const { label, className } = SAGA_STATUS[status];
  return (
    <span className={`inline-block rounded-full px-2 py-0.5 text-xs font-semibold whitespace-nowrap ring-1 ${className}`} data-status={status}>
      {label}
    </span>
  );
}
