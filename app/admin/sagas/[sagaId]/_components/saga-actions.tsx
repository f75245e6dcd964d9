"use client";

import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/app/_trpc/client";
import { useActionAnswer } from "../../../_lib/use-action-answer";
import { AdminPanel } from "../../../_components/admin-panel";
import { ACTIVE_STATUSES, isFinished, type SagaStatus } from "@/server/saga/saga-status";
import { ActionMessage } from "../../../_components/action-message";
import { ConfirmButton } from "../../../_components/confirm-button";
import type { SagaDetailView } from "../../../_lib/admin-api";
import { cancelWords, redriveWords, retryWords } from "../../../_lib/saga-action-words";
import { useInBrowser } from "@/app/_components/local-date-time";

/**
 * What an admin can do to this saga, each confirmed first: retry a compensation that gave up (once the cause is
 * fixed), enqueue the current step again when it seems stuck, or cancel a running saga (it is compensated). Only the
 * actions that fit the saga's status are offered; the server says so too if the saga moved on meanwhile. Each dialog
 * names what will run from `plan`, the server's plan made with the engine's own planner (null: a type it does not run).
 */
export function SagaActions({ sagaId, status, plan }: { sagaId: string; status: SagaStatus; plan: SagaDetailView["actionPlan"] }) {
  const trpc = useTRPC();
  const { answer, options } = useActionAnswer(trpc.admin.sagas.pathKey());
  const retry = useMutation(trpc.admin.sagas.retryCompensation.mutationOptions(options));
  const redrive = useMutation(trpc.admin.sagas.redrive.mutationOptions(options));
  const cancel = useMutation(trpc.admin.sagas.cancel.mutationOptions(options));
  // Finished for good: a saga needing attention is finished too, but waits for an operator.
  const none = isFinished(status) && status !== "needs_attention";
  // Times in a dialog are the viewer's once in the browser (UTC from the server, which cannot know their zone).
  const timeZone = useInBrowser() ? undefined : "UTC";

  return (
    <AdminPanel id="actions-heading" title="Actions">
      {none ? (
        <p className="text-sm text-gray-700">This saga has finished: there is nothing to do.</p>
      ) : (
        <div className="flex flex-wrap gap-2">
          {status === "needs_attention" && (
            <ConfirmButton
              label="Retry compensation"
              question="Retry the failed compensation?"
              pending={retry.isPending}
              onConfirm={() => retry.mutate({ sagaId })}
            >
              <p data-testid="retry-runs">{plan?.retry ? retryWords(plan.retry) : "The compensation that gave up runs again, then the rest of the undo."}</p>
              <p>Fix what made it fail first, or it will end up here again.</p>
            </ConfirmButton>
          )}
          {ACTIVE_STATUSES.includes(status) && (
            <ConfirmButton
              label="Redrive"
              question="Enqueue the current step again?"
              pending={redrive.isPending}
              onConfirm={() => redrive.mutate({ sagaId })}
            >
              <p data-testid="redrive-runs">{plan?.redrive ? redriveWords(plan.redrive, timeZone) : "The current step is enqueued again."}</p>
              <p>For a saga that seems stuck. If its job is still queued, it stays one job; a step never runs twice.</p>
            </ConfirmButton>
          )}
          {status === "running" && (
            <ConfirmButton
              label="Cancel saga"
              question="Cancel this checkout?"
              confirmLabel="Cancel the checkout"
              tone="danger"
              pending={cancel.isPending}
              onConfirm={() => cancel.mutate({ sagaId })}
            >
              <p data-testid="cancel-runs">{plan?.cancel ? cancelWords(plan.cancel) : "What it did so far is undone."}</p>
              <p>The customer sees their checkout fail.</p>
            </ConfirmButton>
          )}
        </div>
      )}
      <ActionMessage outcome={answer.outcome} error={answer.error} />
    </AdminPanel>
  );
}
