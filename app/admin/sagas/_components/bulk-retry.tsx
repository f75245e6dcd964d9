"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { messageOf } from "@/app/_lib/api-errors";
import { useTRPC } from "@/app/_trpc/client";
import type { SagaListFilter } from "@/server/admin/sagas/saga-list-filter";
import { ActionMessage } from "../../_components/action-message";
import { ConfirmButton } from "../../_components/confirm-button";
import { LIVE_REFRESH_MS } from "../../_lib/live";
import { countOf, shortSagaId } from "../../_lib/saga-words";

type BulkResult = { matched: number; retried: number; skipped: { sagaId: string; reason: string }[] };

/**
 * Admins only: retries the failed compensation of the sagas picked in the list, or of every saga needing attention
 * that the current filter matches (its count in the dialog). Each is confirmed; the answer names every saga that
 * could not be retried and why.
 */
export function BulkRetry({ filter, picked, onRetried }: { filter: SagaListFilter; picked: string[]; onRetried: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const matching = useQuery(trpc.admin.sagas.bulkRetryCount.queryOptions({ filter }, { refetchInterval: LIVE_REFRESH_MS })).data;
  const bulkRetry = useMutation(
    trpc.admin.sagas.bulkRetry.mutationOptions({
      onSuccess: (_result, input) => {
        if (input.sagaIds) onRetried();
      },
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.admin.sagas.pathKey() }),
    }),
  );
  const count = matching ? `${matching.capped ? "more than " : ""}${countOf(matching.matching, "saga")}` : "every saga";
  const result = bulkRetry.data;
  const pickedIds = bulkRetry.variables?.sagaIds;

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap gap-2">
        <ConfirmButton
          label={picked.length === 0 ? "Retry picked" : `Retry ${countOf(picked.length, "picked saga")}`}
          question={`Retry the ${countOf(picked.length, "picked saga")}?`}
          confirmLabel="Retry the picked"
          pending={bulkRetry.isPending}
          disabled={picked.length === 0}
          onConfirm={() => bulkRetry.mutate({ sagaIds: picked })}
        >
          <p>
            Each of these that needs attention runs its failed compensation again: {picked.map(shortSagaId).join(", ")}. Any that no longer
            needs attention is named with the reason, and the rest go on. Each retry is recorded in the audit log.
          </p>
        </ConfirmButton>
        <ConfirmButton
          label="Retry all matching"
          question="Retry every matching saga that needs attention?"
          confirmLabel="Retry them all"
          pending={bulkRetry.isPending}
          disabled={matching?.matching === 0}
          onConfirm={() => bulkRetry.mutate({ filter })}
        >
          <p data-testid="bulk-matching-count">
            {matching?.matching === 1 ? "1 saga needs" : `${count} need`} attention and {matching?.matching === 1 ? "matches" : "match"} the
            filters above: each runs its failed compensation again. Fix the cause first, or they will end up here again. Each retry is
            recorded in the audit log.
          </p>
        </ConfirmButton>
      </div>
      <ActionMessage error={bulkRetry.error ? messageOf(bulkRetry.error) : undefined} outcome={result && outcomeOf(result, pickedIds !== undefined)} />
      {result && result.skipped.length > 0 && (
        <ul className="list-disc space-y-0.5 pl-5 text-sm text-gray-800" data-testid="bulk-skipped">
          {result.skipped.map((skip) => (
            <li key={skip.sagaId}>
              <span className="font-mono font-semibold">{shortSagaId(skip.sagaId)}</span>: {skip.reason}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The answer in words; a second identical request retries nothing and says so. */
function outcomeOf(result: BulkResult, picked: boolean): { done: boolean; message: string } {
  if (result.matched === 0) return { done: false, message: "No saga matching these filters needs attention: nothing to retry." };
  const of = picked ? countOf(result.matched, "picked saga") : `${countOf(result.matched, "matching saga")} needing attention`;
  if (result.retried === 0) return { done: false, message: `Nothing to retry among the ${of}:` };
  const notRetried = result.skipped.length > 0 ? ` ${countOf(result.skipped.length, "saga")} not retried:` : "";
  return { done: true, message: `Retried ${result.retried} of ${of}.${notRetried}` };
}
