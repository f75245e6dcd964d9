"use client";

import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/app/_trpc/client";
import { useActionAnswer } from "../../../../../_lib/use-action-answer";
import { ActionMessage } from "../../../../../_components/action-message";
import { AdminPanel } from "../../../../../_components/admin-panel";
import { ConfirmButton } from "../../../../../_components/confirm-button";

/**
 * An admin's Retry and Remove for a failed job, each confirmed in a dialog that names the job. The server does
 * nothing to a job that is no longer failed, and says so; both are audited. The answer stays after the job moved on.
 */
export function QueueJobActions({ queue, jobId, jobName, failed }: { queue: string; jobId: string; jobName: string; failed: boolean }) {
  const trpc = useTRPC();
  const { answer, options } = useActionAnswer(trpc.admin.queues.pathKey());
  const retry = useMutation(trpc.admin.queues.retryJob.mutationOptions(options));
  const remove = useMutation(trpc.admin.queues.removeJob.mutationOptions(options));
  const job = `${jobName} job ${jobId} of ${queue}`;
  return (
    <AdminPanel id="job-actions-heading" title="Actions">
      {!failed ? (
        <p className="text-sm text-gray-700">Only a failed job can be retried or removed: this one is not failed.</p>
      ) : (
      <div className="flex flex-wrap gap-2">
        <ConfirmButton label="Retry" question={`Retry the ${job}?`} confirmLabel="Retry the job" pending={retry.isPending} onConfirm={() => retry.mutate({ queue, jobId })}>
          <p>
            It goes back to wait for a worker and runs once more, with the same payload. Fix what made it fail first, or it will fail again.
          </p>
        </ConfirmButton>
        <ConfirmButton
          label="Remove"
          question={`Remove the ${job}?`}
          confirmLabel="Remove the job"
          tone="danger"
          pending={remove.isPending}
          onConfirm={() => remove.mutate({ queue, jobId })}
        >
          <p>It is deleted from the queue and never runs again; its payload and error are gone with it (the audit log keeps who removed it).</p>
        </ConfirmButton>
      </div>
      )}
      <ActionMessage outcome={answer.outcome} error={answer.error} />
    </AdminPanel>
  );
}
