import type { StoredPointEvent } from "@/server/loyalty/points/stored-point-event";
import { pointLotChangesOf, type PointLotChange } from "./point-lot-changes";
import type { PointLotRow } from "./point-lot-row";

export { pointLotChangesOf, type PointLotChange } from "./point-lot-changes";
export { expiringSoon, type ExpiringLot } from "./expiring-soon";
export { pointsValidThisWeek, startOfWeek } from "./points-valid-this-week";
export type { PointLotRow } from "./point-lot-row";

/*
 * Read model: one row per lot (`PointLotRow`), serving "points valid this week" and "expiring soon".
 */

/** Applies one stored event to a customer's lots (a store can apply `pointLotChangesOf` row by row instead). */
export function evolvePointLots(lots: readonly PointLotRow[], stored: StoredPointEvent): PointLotRow[] {
  return pointLotChangesOf(stored).reduce(applyPointLotChange, [...lots]);
}

/** One change to the rows; opening a lot that is already there changes nothing. */
export function applyPointLotChange(lots: readonly PointLotRow[], change: PointLotChange): PointLotRow[] {
  switch (change.kind) {
    case "open":
      return lots.some((lot) => lot.lotId === change.row.lotId) ? [...lots] : [...lots, change.row];
    case "take":
      return lots.map((lot) =>
        lot.lotId === change.lotId ? { ...lot, remaining: lot.remaining - change.points } : lot,
      );
    case "expire":
      // LotExpired carries what was left, so remaining reaches 0; max() keeps a bad row from going negative.
      return lots.map((lot) =>
        lot.lotId === change.lotId
          ? { ...lot, remaining: Math.max(0, lot.remaining - change.points), expired: true }
          : lot,
      );
  }
}
