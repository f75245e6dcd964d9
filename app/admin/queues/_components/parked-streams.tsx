"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { LocalDateTime } from "@/app/_components/local-date-time";
import { messageOf } from "@/app/_lib/api-errors";
import { useTRPC } from "@/app/_trpc/client";
import { AdminPanel, CELL, DataTable } from "../../_components/admin-panel";
import { ActionMessage } from "../../_components/action-message";
import { ConfirmButton } from "../../_components/confirm-button";
import type { AdminOutputs } from "../../_lib/admin-api";

type ParkedStream = AdminOutputs["loyalty"]["parkedStreams"][number];

const COLUMNS = [{ label: "Projection" }, { label: "Customer" }, { label: "Failed at (log position)" }, { label: "Parked" }, { label: "Error" }];

/**
 * Customers' streams a loyalty projection could not apply an event of: that projection skips them (everyone else's
 * events go on), so their points in it are stale until an admin retries the stream once the cause is fixed.
 */
export function ParkedStreams({ parked, canAct }: { parked: AdminOutputs["loyalty"]["parkedStreams"]; canAct: boolean }) {
  return (
    <AdminPanel id="parked-streams-heading" title={`Parked projection streams (${parked.length})`}>
      {parked.length === 0 ? (
        <p className="text-sm text-gray-600" data-testid="parked-streams-none">
          None: every projection applies every customer&apos;s events.
        </p>
      ) : (
        <DataTable
          caption="Customers' streams a loyalty projection set aside, oldest first, with the error"
          columns={[...COLUMNS, ...(canAct ? [{ label: "Action" }] : [])]}
          minWidth="min-w-[48rem]"
          testId="parked-streams"
        >
          {parked.map((stream) => (
            <tr key={`${stream.projection}/${stream.customerId}`} data-testid="parked-stream-row">
              <th scope="row" className={`${CELL} font-mono font-medium`}>
                {stream.projection}
              </th>
              <td className={`${CELL} font-mono text-xs`}>{stream.customerId}</td>
              <td className={`${CELL} font-mono text-xs`}>event #{stream.parkedAt.position}</td>
              <td className={`${CELL} whitespace-nowrap`}>
                <LocalDateTime date={stream.parkedSince} />
              </td>
              <td className={`${CELL} max-w-xs truncate text-sm`} title={stream.error}>
                {stream.error}
              </td>
              {canAct && (
                <td className={CELL}>
                  <RetryParkedStream stream={stream} />
                </td>
              )}
            </tr>
          ))}
        </DataTable>
      )}
    </AdminPanel>
  );
}

function RetryParkedStream({ stream }: { stream: ParkedStream }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const retry = useMutation(
    trpc.admin.loyalty.retryParkedStream.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.admin.loyalty.parkedStreams.queryKey() }),
    }),
  );
  return (
    <div className="space-y-1">
      <ConfirmButton
        label="Retry"
        question={`Replay customer ${stream.customerId.slice(0, 8)} into ${stream.projection}?`}
        confirmLabel="Replay and unpark"
        pending={retry.isPending}
        onConfirm={() => retry.mutate({ projection: stream.projection, customerId: stream.customerId })}
      >
        <p>
          The customer&apos;s {stream.projection} rows are made again from a replay of all their points events, and the projection
          takes their events again. If it still fails, the stream stays parked with the new error.
        </p>
      </ConfirmButton>
      <ActionMessage
        outcome={retry.data && { done: retry.data.unparked, message: retry.data.message }}
        error={retry.error ? messageOf(retry.error) : undefined}
      />
    </div>
  );
}
