"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { LocalDateTime } from "@/app/_components/local-date-time";
import { messageOf } from "@/app/_lib/api-errors";
import { useTRPC } from "@/app/_trpc/client";
import { formatCount } from "@/app/_lib/format-count";
import { AdminPanel, CELL, DataTable } from "../../_components/admin-panel";
import { ActionMessage } from "../../_components/action-message";
import { ConfirmButton } from "../../_components/confirm-button";
import type { AdminOutputs } from "../../_lib/admin-api";
import { formatDuration } from "../../_lib/saga-words";

const COLUMNS = [
  { label: "Projection" },
  { label: "Checkpoint (log position)" },
  { label: "Events pending", align: "right" as const },
  { label: "Behind by", align: "right" as const },
  { label: "Updated" },
];

/** How far each loyalty read model trails the event log, and (admins) a rebuild of them all from the log. */
export function ProjectionLags({ projections, canAct }: { projections: AdminOutputs["loyalty"]["projections"]; canAct: boolean }) {
  return (
    <AdminPanel id="projections-heading" title="Loyalty projections" actions={canAct && <RebuildProjections />}>
      <DataTable
        caption="Each loyalty projection's checkpoint in the event log and how far behind it is"
        columns={COLUMNS}
        minWidth="min-w-[36rem]"
        testId="projection-lags"
      >
        {projections.map((lag) => (
          <tr key={lag.projection} data-testid="projection-row" data-projection={lag.projection}>
            <th scope="row" className={`${CELL} font-mono font-medium`}>
              {lag.projection}
            </th>
            <td className={`${CELL} font-mono text-xs`}>event #{lag.checkpoint.position}</td>
            <td className={`${CELL} text-right tabular-nums`}>{lag.pendingEvents >= 10_000 ? "10,000+" : formatCount(lag.pendingEvents)}</td>
            <td className={`${CELL} text-right ${lag.behindMs > 60_000 ? "font-semibold text-rose-800" : ""}`}>
              {lag.pendingEvents === 0 ? "Up to date" : formatDuration(lag.behindMs)}
            </td>
            <td className={`${CELL} whitespace-nowrap`}>
              <LocalDateTime date={lag.updatedAt} />
            </td>
          </tr>
        ))}
      </DataTable>
    </AdminPanel>
  );
}

/** Queues a rebuild: a loyalty worker replays every event into fresh read models, then swaps them in. */
function RebuildProjections() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const rebuild = useMutation(
    trpc.admin.loyalty.rebuild.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.admin.loyalty.projections.queryKey() }),
    }),
  );
  return (
    <div className="space-y-2">
      <ConfirmButton
        label="Rebuild projections"
        question="Rebuild every loyalty projection?"
        confirmLabel="Rebuild them"
        pending={rebuild.isPending}
        onConfirm={() => rebuild.mutate()}
      >
        <p>
          A loyalty worker replays the whole points event log into fresh read models, then swaps them in. Customers keep seeing the
          current ones meanwhile. On a large log this takes a while.
        </p>
      </ConfirmButton>
      <ActionMessage
        outcome={rebuild.data && { done: rebuild.data.queued, message: rebuild.data.message }}
        error={rebuild.error ? messageOf(rebuild.error) : undefined}
      />
    </div>
  );
}
