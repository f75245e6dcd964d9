import type { PointEvent } from "@/server/loyalty/points/point-events";

/**
 * How an event moves the balance the read models show: earned +, redeemed −, given back +, expired −, adjusted ±.
 * Points given back to a lot past its expiry count + here and − with the LotExpired that follows. Expiry counts
 * when LotExpired is recorded, not at the lot's `expiresAt` (see available-balance).
 */
export function pointsDeltaOf(event: PointEvent): number {
  switch (event.type) {
    case "PointsEarned":
      return event.data.points;
    case "PointsRedeemed":
      return -event.data.points;
    case "PointsRestored":
      return event.data.points;
    case "LotExpired":
      return -event.data.points;
    case "PointsAdjusted":
      return event.data.points;
  }
}
