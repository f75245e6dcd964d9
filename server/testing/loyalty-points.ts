import type { LotPoints, PointEvent } from "@/server/loyalty/points/point-events";
import { isDueForExpiry, type PointsState } from "@/server/loyalty/points/points-state";
import type { StoredPointEvent } from "@/server/loyalty/points/stored-point-event";

/*
 * For the Loyalty unit specs (tests only): short builders, so each test shows only the numbers it is about.
 */

/** A lot earned from an order named after it (override with `orderId`). */
export function earned(
  lotId: string,
  points: number,
  earnedAt: Date,
  expiresAt: Date,
  orderId = `order-${lotId}`,
): PointEvent {
  return { type: "PointsEarned", data: { lotId, points, earnedAt, expiresAt, orderId, ruleIds: [] } };
}

/** A redemption that took these lots. */
export function redeemed(redemptionId: string, lots: LotPoints[], redeemedAt: Date): PointEvent {
  const points = lots.reduce((sum, lot) => sum + lot.points, 0);
  return { type: "PointsRedeemed", data: { redemptionId, points, lots, redeemedAt } };
}

/** A redemption given back to these lots (the lots it took). */
export function restored(redemptionId: string, lots: LotPoints[], restoredAt: Date, checkoutId?: string): PointEvent {
  const points = lots.reduce((sum, lot) => sum + lot.points, 0);
  return { type: "PointsRestored", data: { redemptionId, points, lots, restoredAt, ...(checkoutId ? { checkoutId } : {}) } };
}

/** A staff credit opening a lot named after the adjustment. */
export function credited(
  adjustmentId: string,
  points: number,
  reason: string,
  adjustedAt: Date,
  expiresAt: Date,
): PointEvent {
  const data = { adjustmentId, points, reason, adjustedBy: "staff-1", adjustedAt, lotId: adjustmentId, expiresAt };
  return { type: "PointsAdjusted", data };
}

/** A staff deduction that took these lots. */
export function deducted(adjustmentId: string, lots: LotPoints[], reason: string, adjustedAt: Date): PointEvent {
  const points = -lots.reduce((sum, lot) => sum + lot.points, 0);
  return { type: "PointsAdjusted", data: { adjustmentId, points, reason, adjustedBy: "staff-1", adjustedAt, lots } };
}

/** What was left of a lot expired. */
export function expired(lotId: string, points: number, expiredAt: Date): PointEvent {
  return { type: "LotExpired", data: { lotId, points, expiredAt } };
}

/** An event in customer-1's stream at `version`, recorded at `occurredAt`. */
export function stored(version: number, event: PointEvent, occurredAt: Date): StoredPointEvent {
  return { streamId: "customer-1", version, eventId: `event-${version}`, occurredAt, event };
}

/**
 * The lots of one customer's state whose expiry has come and that still hold points, soonest first: what the expiry
 * process (expireDueLots, which asks the lots projection) would send ExpireLot for. The rule is the decider's own,
 * `isDueForExpiry`; the property test uses this to expire everything due at once.
 */
export function lotsDueForExpiry(state: PointsState, now: Date): string[] {
  return state.lots
    .filter((lot) => isDueForExpiry(lot, now))
    .sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime())
    .map((lot) => lot.lotId);
}
