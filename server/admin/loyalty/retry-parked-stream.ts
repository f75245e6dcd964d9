import { retryParkedStream as replayParkedStream, type ParkedStreamRetry } from "@/server/loyalty/projections/retry-parked-stream";
import type { ProjectionName } from "@/server/loyalty/projections/projection-checkpoints";
import { RETRY_PARKED_STREAM_ACTION } from "../audit/audit-actions";
import { recordAudit, type AuditActor } from "../audit/record-audit";

/**
 * An admin retries a parked projection stream once its cause is fixed: Loyalty replays the customer's events into
 * that projection and unparks it, or keeps it parked with the new error. Either way the audit line is written in the
 * same transaction. A stream that is not parked (a second click) is a NOT_FOUND, and changes nothing.
 */
export async function retryParkedStream(options: {
  projection: ProjectionName;
  customerId: string;
  actor: AuditActor;
}): Promise<ParkedStreamRetry> {
  return replayParkedStream({
    projection: options.projection,
    customerId: options.customerId,
    record: (tx, outcome) =>
      recordAudit(
        {
          actor: options.actor,
          action: RETRY_PARKED_STREAM_ACTION,
          targetId: options.customerId,
          outcome: outcome.message,
          details: { projection: options.projection, unparked: outcome.unparked },
        },
        tx,
      ),
  });
}
