"use client";

import { useQuery } from "@tanstack/react-query";
import { LocalDateTime } from "@/app/_components/local-date-time";
import { useTRPC } from "@/app/_trpc/client";
import { formatCount } from "@/app/_lib/format-count";
import { SLOW_REFRESH_MS } from "../../_lib/live";

/**
 * The standing invariant auditor's latest run (the checkout workers run it every minute): what it checked, and any
 * violation with the rows it names, pinned here with the sagas that need attention.
 */
export function InvariantAudit() {
  const trpc = useTRPC();
  const latest = useQuery(trpc.admin.invariants.latest.queryOptions(undefined, { refetchInterval: SLOW_REFRESH_MS }));
  if (latest.isPending) return null;
  const run = latest.data;
  if (!run) {
    return (
      <p className="text-sm text-gray-700" data-testid="invariant-audit">
        The invariant audit has not run yet (a checkout worker runs it every minute).
      </p>
    );
  }
  const checked = run.checks.map((check) => `${check.rule} (${formatCount(check.checked)})`).join(", ");
  if (run.violations.length === 0) {
    return (
      <p className="text-sm text-gray-700" data-testid="invariant-audit">
        Invariant audit at <LocalDateTime date={run.finishedAt} />: every rule held — {checked}.
      </p>
    );
  }
  return (
    <div role="alert" className="space-y-2 rounded-lg bg-rose-100 p-3 text-sm text-rose-950" data-testid="invariant-audit">
      <p className="font-semibold">
        The invariant audit at <LocalDateTime date={run.finishedAt} /> found {run.violations.length}{" "}
        {run.violations.length === 1 ? "violation" : "violations"}:
      </p>
      <ul className="list-disc space-y-1 pl-5">
        {run.violations.slice(0, 20).map((violation, index) => (
          <li key={index}>
            <span className="font-medium">{violation.rule}</span> — {violation.subject}: {violation.detail}
          </li>
        ))}
      </ul>
      <p>Checked: {checked}.</p>
    </div>
  );
}
