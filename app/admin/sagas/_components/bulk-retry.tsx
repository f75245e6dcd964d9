"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { messageOf } from "@/app/_lib/api-errors";
import { useTRPC } from "@/app/_trpc/client";
import type { SagaListFilter } from "@/server/admin/sagas/saga-list-filter";
import { ActionMessage } from "../../_components/action-message";
import { ConfirmButton } from "../../_components/confirm-button";

/** Admins only: retries the failed compensation of every saga needing attention that the current filter matches. */
export function BulkRetry({ filter, needingAttention }: { filter: SagaListFilter; needingAttention: number }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const bulkRetry = useMutation(
    trpc.admin.sagas.bulkRetry.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.admin.sagas.pathKey() }),
    }),
  );
  const result = bulkRetry.data;
  return (
    <div className="space-y-2">
      <ConfirmButton
        label="Retry all matching"
        question="Retry every matching saga that needs attention?"
        confirmLabel="Retry them all"
        pending={bulkRetry.isPending}
        disabled={needingAttention === 0}
        onConfirm={() => bulkRetry.mutate({ filter })}
      >
        <p>
          Every saga that needs attention and matches the filters above runs its failed compensation again (
          {needingAttention === 1 ? "1 saga needs" : `${needingAttention} sagas need`} attention in all). Fix the cause first, or they will
          end up here again. Each retry is recorded in the audit log.
        </p>
      </ConfirmButton>
      <ActionMessage
        error={bulkRetry.error ? messageOf(bulkRetry.error) : undefined}
        outcome={
          result && {
            done: result.retried > 0,
            message:
              result.matched === 0
                ? "No saga matching these filters needs attention: nothing to retry."
                : `Retried ${result.retried} of ${result.matched} matching sagas needing attention.`,
          }
        }
      />
    </div>
  );
}
