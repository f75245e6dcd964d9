import { listAudit, type AuditEntry } from "@/server/admin/audit/list-audit";
import { knownQueue } from "./known-queue";

/** The audit target of a queue's job: `<queue>/<jobId>`, as the job page's address has it. */
export const queueJobTarget = (queue: string, jobId: string) => `${queue}/${jobId}`;

/** What operators did to one job, newest first: kept in PostgreSQL, so it outlives the job itself. */
export async function queueJobAudit(options: { queue: string; jobId: string }): Promise<AuditEntry[]> {
  await knownQueue(options.queue);
  return listAudit({ targetId: queueJobTarget(options.queue, options.jobId) });
}
