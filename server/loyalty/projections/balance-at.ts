import { availablePoints, evolvePoints, initialPointsState } from "@/server/loyalty/points/points-state";
import type { StoredPointEvent } from "@/server/loyalty/points/stored-point-event";

/**
 * Time travel: the points a customer could spend at `at`, replaying only the events recorded by then
 * (`occurredAt` ≤ at) and leaving out lots whose expiry had come, recorded or not. Events of one stream, any order.
 */
export function balanceAt(events: readonly StoredPointEvent[], at: Date): number {
  const state = events
    .filter((stored) => stored.occurredAt.getTime() <= at.getTime())
    .sort((a, b) => a.version - b.version)
    .reduce((current, stored) => evolvePoints(current, stored.event), initialPointsState());
  return availablePoints(state, at);
}
