"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/app/_trpc/client";
import { AdminPanel } from "../../../../../_components/admin-panel";
import type { AdminOutputs } from "../../../../../_lib/admin-api";
import { LIVE_REFRESH_MS } from "../../../../../_lib/live";
import { JobTime } from "../../../../_components/job-time";

/** Who retried or removed this job, and how it turned out: from PostgreSQL, so it stays when the job is gone. */
export function JobAuditTrail({ queue, jobId, initial }: { queue: string; jobId: string; initial: AdminOutputs["queues"]["jobAudit"] }) {
  const trpc = useTRPC();
  const entries = useQuery(trpc.admin.queues.jobAudit.queryOptions({ queue, jobId }, { initialData: initial, refetchInterval: LIVE_REFRESH_MS })).data;
  return (
    <AdminPanel id="job-audit-heading" title="Audit trail" testId="job-audit">
      {entries.length === 0 ? (
        <p className="text-sm text-gray-700">No operator has acted on this job.</p>
      ) : (
        <ol className="divide-y divide-gray-100 text-sm">
          {entries.map((entry) => (
            <li key={entry.id} className="py-2" data-testid="audit-entry">
              <p>
                <span className="font-semibold">{entry.action}</span> by {entry.actorEmail} · <JobTime date={entry.createdAt} />
              </p>
              <p className="text-gray-700">{entry.outcome}</p>
            </li>
          ))}
        </ol>
      )}
    </AdminPanel>
  );
}
