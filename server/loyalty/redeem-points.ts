import { DomainError } from "@/server/errors";
import { handlePointCommand } from "./event-store/handle-point-command";

/**
 * A customer spends points, first-expiring lots first. The same idempotency key from the same customer redeems
 * once: a retried request is answered with the first one's result.
 */
export async function redeemPoints(options: {
  customerId: string;
  points: number;
  idempotencyKey: string;
  now: Date;
}): Promise<{ redeemedPoints: number; lots: { lotId: string; points: number }[]; repeated: boolean }> {
  const redemptionId = `${options.customerId}:${options.idempotencyKey}`;
  const { events, repeated } = await handlePointCommand({
    customerId: options.customerId,
    command: { type: "RedeemPoints", data: { redemptionId, points: options.points } },
    messageId: `redeem:${redemptionId}`,
    now: options.now,
  });
  const redeemed = events.find((stored) => stored.event.type === "PointsRedeemed")?.event;
  if (redeemed?.type !== "PointsRedeemed") return { redeemedPoints: 0, lots: [], repeated };
  if (repeated && redeemed.data.points !== options.points) {
    throw new DomainError(
      "IDEMPOTENCY_CONFLICT",
      "This redemption key was already used for a different number of points. Start a new redemption instead.",
    );
  }
  return { redeemedPoints: redeemed.data.points, lots: redeemed.data.lots, repeated };
}
