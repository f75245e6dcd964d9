import { DomainError } from "@/server/errors";
import type { SqlClient } from "@/server/sql";
import { handlePointCommand } from "./event-store/handle-point-command";

export type PointsAdjustment = { adjustedPoints: number; repeated: boolean };

/**
 * Shop staff add points to a customer (a goodwill gift) or take some back (a deduction), always with a reason. The
 * same idempotency key adjusts a customer once: a repeated request is answered with the first one's result.
 * `record` runs in the adjustment's transaction (handlePointCommand's inSameTransaction), for the admin's audit line:
 * the adjustment and its record exist together or not at all.
 */
export async function adjustPoints(options: {
  customerId: string;
  points: number;
  reason: string;
  adjustedBy: string;
  idempotencyKey: string;
  /** How long credited points last; a deduction takes existing lots and has no lifetime. */
  lotLifetimeDays: number;
  now: Date;
  record?: (tx: SqlClient, adjustment: PointsAdjustment) => Promise<void>;
}): Promise<PointsAdjustment> {
  // Keyed per customer, like a redemption: message ids and lot ids are unique across all customers.
  const adjustmentId = `adjust:${options.customerId}:${options.idempotencyKey}`;
  // Set by the transaction's last step, which is where a reused key is refused and the adjustment recorded.
  let adjustment: PointsAdjustment = { adjustedPoints: 0, repeated: false };
  await handlePointCommand({
    customerId: options.customerId,
    command: {
      type: "AdjustPoints",
      data: {
        adjustmentId,
        points: options.points,
        reason: options.reason,
        adjustedBy: options.adjustedBy,
        ...(options.points > 0 ? { lotLifetimeDays: options.lotLifetimeDays } : {}),
      },
    },
    messageId: adjustmentId,
    now: options.now,
    inSameTransaction: async (tx, { events, repeated }) => {
      const adjusted = events.find((stored) => stored.event.type === "PointsAdjusted")?.event;
      const adjustedPoints = adjusted?.type === "PointsAdjusted" ? adjusted.data.points : 0;
      if (repeated && adjustedPoints !== options.points) {
        throw new DomainError(
          "IDEMPOTENCY_CONFLICT",
          "This adjustment key was already used for a different number of points. Start a new adjustment instead.",
        );
      }
      adjustment = { adjustedPoints, repeated };
      await options.record?.(tx, adjustment);
    },
  });
  return adjustment;
}
