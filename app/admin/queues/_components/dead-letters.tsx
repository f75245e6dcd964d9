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

const COLUMNS = [
  { label: "Event" },
  { label: "Written" },
  { label: "Given up" },
  { label: "Attempts", align: "right" as const },
  { label: "Last error" },
];

/**
 * Outbox events the relay could not publish after every attempt (each is retried on its own, so one never holds back
 * the rest), with their last error; admins give one back to the relay once its cause is fixed.
 */
export function DeadLetters({ deadLetters, canAct }: { deadLetters: AdminOutputs["outbox"]["deadLetters"]; canAct: boolean }) {
  return (
    <AdminPanel id="dead-letters-heading" title={`Outbox dead letters (${formatCount(deadLetters.total)})`}>
      {deadLetters.total === 0 ? (
        <p className="text-sm text-gray-600" data-testid="dead-letters-none">
          None: every event the shop wrote was published, or is still being retried.
        </p>
      ) : (
        <DataTable
          caption="Outbox events the relay gave up on, newest first"
          columns={[...COLUMNS, ...(canAct ? [{ label: "Action" }] : [])]}
          minWidth="min-w-[44rem]"
          testId="dead-letters"
        >
          {deadLetters.events.map((event) => (
            <tr key={event.eventId} data-testid="dead-letter-row">
              <th scope="row" className={`${CELL} font-mono text-xs font-medium`}>
                {event.eventType} {event.eventId.slice(0, 8)}
              </th>
              <td className={`${CELL} whitespace-nowrap`}>
                <LocalDateTime date={event.createdAt} />
              </td>
              <td className={`${CELL} whitespace-nowrap`}>
                <LocalDateTime date={event.deadLetteredAt} />
              </td>
              <td className={`${CELL} text-right tabular-nums`}>{event.attempts}</td>
              <td className={`${CELL} max-w-xs truncate text-sm`} title={event.lastError ?? undefined}>
                {event.lastError ?? "—"}
              </td>
              {canAct && (
                <td className={CELL}>
                  <RedriveDeadLetter eventId={event.eventId} eventType={event.eventType} />
                </td>
              )}
            </tr>
          ))}
        </DataTable>
      )}
    </AdminPanel>
  );
}

function RedriveDeadLetter({ eventId, eventType }: { eventId: string; eventType: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const redrive = useMutation(
    trpc.admin.outbox.redrive.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.admin.outbox.deadLetters.queryKey() }),
    }),
  );
  return (
    <div className="space-y-1">
      <ConfirmButton
        label="Redrive"
        question={`Publish ${eventType} ${eventId.slice(0, 8)} again?`}
        confirmLabel="Publish it again"
        pending={redrive.isPending}
        onConfirm={() => redrive.mutate({ eventId })}
      >
        <p>
          The outbox relay tries this event again with a fresh set of attempts. Consumers handle each event once, so a copy
          that did arrive changes nothing.
        </p>
      </ConfirmButton>
      <ActionMessage error={redrive.error ? messageOf(redrive.error) : undefined} />
    </div>
  );
}
