import { DomainError } from "@/server/errors";
import type { RestorePoints } from "./point-commands";
import type { LotExpired, PointEvent, PointsRestored } from "./point-events";
import { evolvePoints, type PointLot, type PointsState } from "./points-state";

/**
 * Gives a redemption back to the lots it came from, each with its own expiry. Points that go back to a lot whose
 * expiry has passed (whether or not its LotExpired was recorded) expire in the same decision, so no point is ever
 * spendable after its lot's expiry. A redemption already given back, or one that never happened, gives back nothing.
 */
export function restorePoints({ data }: RestorePoints, state: PointsState, now: Date): PointEvent[] {
  if (data.redemptionId.trim() === "") {
    throw new DomainError("VALIDATION", "A redemptionId is required.", { field: "redemptionId" });
  }
  const redemption = state.redemptions.get(data.redemptionId);
  if (!redemption || redemption.restored) return [];
  const { points, lots, checkoutId } = redemption;
  const restored: PointsRestored = {
    type: "PointsRestored",
    data: {
      redemptionId: data.redemptionId,
      points,
      lots: lots.map((lot) => ({ ...lot })),
      restoredAt: now,
      ...(checkoutId === undefined ? {} : { checkoutId }),
    },
  };
  const after = evolvePoints(state, restored);
  const givenBackTo = new Set(lots.map((lot) => lot.lotId));
  const expiries = after.lots
    .filter((lot) => givenBackTo.has(lot.lotId) && isPastItsExpiry(lot, now))
    .map((lot): LotExpired => ({ type: "LotExpired", data: { lotId: lot.lotId, points: lot.remaining, expiredAt: lot.expiresAt } }));
  return [restored, ...expiries];
}

/** A lot holding points it may no longer spend: expired by an event already, or its expiry has come. */
function isPastItsExpiry(lot: PointLot, now: Date): boolean {
  return lot.remaining > 0 && (lot.expired || lot.expiresAt.getTime() <= now.getTime());
}
