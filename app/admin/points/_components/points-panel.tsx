"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { LocalDateTime } from "@/app/_components/local-date-time";
import { useTRPC } from "@/app/_trpc/client";
import { AdminPanel } from "../../_components/admin-panel";
import type { AuditEntryView } from "../../_lib/admin-api";
import { SLOW_REFRESH_MS } from "../../_lib/live";
import { AdjustPointsForm } from "./adjust-points-form";
import { adjustmentsQuery } from "./adjustment-words";

/** Admins adjust a customer's points here; all staff see the latest adjustments, whoever made them. */
export function PointsPanel({ initialAudit, canAct, customerId }: { initialAudit: AuditEntryView[]; canAct: boolean; customerId?: string }) {
  return (
    <div className="space-y-6">
      {canAct ? (
        <AdjustPointsForm />
      ) : (
        <p className="text-sm text-gray-700">Only admins can adjust points: ask an admin to give a customer points or take some back.</p>
      )}
      <RecentAdjustments initialAudit={initialAudit} customerId={customerId} />
    </div>
  );
}

/** From the audit log, which the form's adjustments refresh (and other admins' show up within seconds). */
function RecentAdjustments({ initialAudit, customerId }: { initialAudit: AuditEntryView[]; customerId?: string }) {
  const trpc = useTRPC();
  const adjustments = useQuery(
    trpc.admin.audit.list.queryOptions(adjustmentsQuery(customerId), { initialData: initialAudit, refetchInterval: SLOW_REFRESH_MS }),
  ).data;
  return (
    <AdminPanel
      id="recent-adjustments-heading"
      title={customerId ? "Recent adjustments of this customer" : "Recent adjustments"}
      testId="recent-adjustments"
      actions={
        customerId && (
          <Link href="/admin/points" className="text-sm font-medium text-brand-700 underline">
            Everyone&apos;s
          </Link>
        )
      }
    >
      {adjustments.length === 0 ? (
        <p className="text-sm text-gray-700">No points adjusted lately.</p>
      ) : (
        <ol className="divide-y divide-gray-100 text-sm">
          {adjustments.map((entry) => (
            <li key={entry.id} className="py-2" data-testid="adjustment-entry">
              <p className="break-words">{entry.outcome}</p>
              <p className="break-words text-gray-700">
                By {entry.actorEmail} · <LocalDateTime date={entry.createdAt} />
              </p>
            </li>
          ))}
        </ol>
      )}
    </AdminPanel>
  );
}
