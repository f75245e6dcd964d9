import type { Job } from "bullmq";
import { recordAudit, type AuditActor } from "@/server/admin/audit/record-audit";
import { REMOVE_QUEUE_JOB_ACTION, RETRY_QUEUE_JOB_ACTION } from "@/server/admin/audit/audit-actions";
import type { OperatorOutcome } from "@/server/saga/saga-engine";
import { withKnownQueue } from "./known-queue";
import { queueJobTarget } from "./queue-job-audit";

export type QueueJobAction = "retry" | "remove";

/** What the audit log calls each action; its target is `<queue>/<jobId>`, the job page's address. */
const AUDIT_ACTION: Record<QueueJobAction, string> = { retry: RETRY_QUEUE_JOB_ACTION, remove: REMOVE_QUEUE_JOB_ACTION };

/**
 * An admin's retry or removal of one FAILED job. Retry puts it back to wait for one more run (its attempts are not
 * reset: it failed its last one, and a retry is the operator's one more try once the cause is fixed); remove deletes it
 * from Redis. Each is idempotent: a job that is no longer failed (retried already, removed, gone) is left as it is and
 * the answer says so. The job lives in Redis, so the audit line cannot share a transaction with it: it is written
 * after the Redis action, with its outcome, no-ops included (as actOnSaga does).
 */
export async function actOnQueueJob(options: { action: QueueJobAction; queue: string; jobId: string; actor: AuditActor }): Promise<OperatorOutcome> {
  const { action, queue: name, jobId, actor } = options;
  const outcome = await withKnownQueue(name, async (queue) => {
    const job = await queue.getJob(jobId);
    const state = job?.id ? await job.getState() : "unknown";
    if (!job || state !== "failed") return nothingToDo(action, jobId, state);
    try {
      return action === "retry" ? await retry(job) : await remove(job);
    } catch (error) {
      // BullMQ's scripts answer with a numeric code when the job moved on meanwhile (another admin, a worker).
      if (typeof (error as { code?: unknown }).code !== "number") throw error;
      return nothingToDo(action, jobId, await job.getState());
    }
  });
  await recordAudit({ actor, action: AUDIT_ACTION[action], targetId: queueJobTarget(name, jobId), outcome: outcome.message, details: { done: outcome.done } });
  return outcome;
}

async function retry(job: Job): Promise<OperatorOutcome> {
  await job.retry("failed");
  return { done: true, message: `Job ${job.id} is waiting to run again.` };
}

async function remove(job: Job): Promise<OperatorOutcome> {
  await job.remove();
  return { done: true, message: `Job ${job.id} was removed from the queue.` };
}

function nothingToDo(action: QueueJobAction, jobId: string, state: string): OperatorOutcome {
  const verb = action === "retry" ? "retry" : "remove";
  if (state === "unknown") return { done: false, message: `Job ${jobId} is no longer in the queue: nothing to ${verb}.` };
  return { done: false, message: `Job ${jobId} is ${state}, not failed: nothing changed.` };
}
