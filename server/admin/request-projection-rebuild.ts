import { enqueue } from "@/server/queues/define-queue";
import { loyaltyMaintenanceQueue, REBUILD_PROJECTIONS_JOB_ID } from "@/server/queues/loyalty-maintenance-queue";
import { recordAudit, type AuditActor } from "./audit/record-audit";

/** An operator asks for the loyalty projections to be rebuilt; a loyalty worker does it (see workers/loyalty.ts). */
export async function requestProjectionRebuild(options: { actor: AuditActor }): Promise<{ queued: boolean; message: string }> {
  await enqueue(loyaltyMaintenanceQueue, "rebuild-projections", { requestedBy: options.actor.email }, { jobId: REBUILD_PROJECTIONS_JOB_ID });
  const message = "Rebuild queued: a loyalty worker replays every event into fresh read models, then swaps them in.";
  await recordAudit({ actor: options.actor, action: "rebuild-projections", outcome: message });
  return { queued: true, message };
}
