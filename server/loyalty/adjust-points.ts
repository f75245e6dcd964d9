import { DomainError } from "@/server/errors";
import { handlePointCommand } from "./event-store/handle-point-command";

/**
 * Shop staff add points to a customer (a goodwill gift) or take some back (a deduction), always with a reason. The
 * same idempotency key adjusts a customer once: a repeated request is answered with the first one's result.
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
}): Promise<{ adjustedPoints: number; repeated: boolean }> {
  // Keyed per customer, like a redemption: message ids and lot ids are unique across all customers.
  const adjustmentId = `adjust:${options.customerId}:${options.idempotencyKey}`;
  const { events, repeated } = await handlePointCommand({
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
  });
  const adjusted = events.find((stored) => stored.event.type === "PointsAdjusted")?.event;
  if (adjusted?.type !== "PointsAdjusted") return { adjustedPoints: 0, repeated };
  if (repeated && adjusted.data.points !== options.points) {
    throw new DomainError(
      "IDEMPOTENCY_CONFLICT",
      "This adjustment key was already used for a different number of points. Start a new adjustment instead.",
    );
  }
  return { adjustedPoints: adjusted.data.points, repeated };
}
