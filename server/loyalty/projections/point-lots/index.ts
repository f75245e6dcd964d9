import type { StoredPointEvent } from "@/server/loyalty/points/stored-point-event";
import { lotIdOf, pointLotChangesOf, type PointLotChange } from "./point-lot-changes";
import type { PointLotRow } from "./point-lot-row";

export { lotIdOf, pointLotChangesOf, type PointLotChange } from "./point-lot-changes";
export { expiringSoon, type ExpiringLot } from "./expiring-soon";
export { pointsValidThisWeek, startOfWeek } from "./points-valid-this-week";
export type { PointLotRow } from "./point-lot-row";

/*
 * Read model: one row per lot (`PointLotRow`), serving "points valid this week" and "expiring soon".
 */

/** Lots by lot id: a customer's, or whichever lots a batch of events touches. */
export type PointLots = ReadonlyMap<string, PointLotRow>;

/**
 * The projection's fold step: the lots one stored event opens or changes, as they are after it. Every other lot stays
 * as it is, so a fold sets only these and a table writes only these rows, however many lots a customer has.
 */
export function evolvePointLots(lots: PointLots, stored: StoredPointEvent): PointLotRow[] {
  const changed = new Map<string, PointLotRow>();
  for (const change of pointLotChangesOf(stored)) {
    const lotId = lotIdOf(change);
    const lot = applyPointLotChange(changed.get(lotId) ?? lots.get(lotId), change);
    if (lot) changed.set(lotId, lot);
  }
  return [...changed.values()];
}

/** Folds events, in stream order, into `lots` (a map the caller owns) with evolvePointLots, and returns it. */
export function foldPointLots(lots: Map<string, PointLotRow>, events: Iterable<StoredPointEvent>): Map<string, PointLotRow> {
  for (const stored of events) {
    for (const lot of evolvePointLots(lots, stored)) lots.set(lot.lotId, lot);
  }
  return lots;
}

/** One change to one lot (undefined: not opened); opening a lot that is already there changes nothing. */
function applyPointLotChange(lot: PointLotRow | undefined, change: PointLotChange): PointLotRow | undefined {
  switch (change.kind) {
    case "open":
      return lot ?? change.row;
    case "take":
      return lot && { ...lot, remaining: lot.remaining - change.points };
    case "give-back":
      // Expiry and the expired flag stay the lot's own; a LotExpired follows for a lot past its expiry.
      return lot && { ...lot, remaining: lot.remaining + change.points };
    case "expire":
      // LotExpired carries what was left, so remaining reaches 0; max() keeps a bad row from going negative.
      return lot && { ...lot, remaining: Math.max(0, lot.remaining - change.points), expired: true };
  }
}
