import type { StoredPointEvent } from "@/server/loyalty/points/stored-point-event";
import type { PointLotRow } from "./point-lot-row";

/**
 * What one event does to the lot rows, one change per lot: which lots it touches is known from the event alone, so
 * the incremental projector reads just those rows before folding a batch (evolvePointLots applies the changes).
 */
export type PointLotChange =
  | { kind: "open"; row: PointLotRow }
  | { kind: "take"; lotId: string; points: number }
  | { kind: "give-back"; lotId: string; points: number }
  | { kind: "expire"; lotId: string; points: number };

/** The row changes an event causes. */
export function pointLotChangesOf({ streamId: customerId, event }: StoredPointEvent): PointLotChange[] {
  switch (event.type) {
    case "PointsEarned": {
      const { lotId, points, earnedAt, expiresAt } = event.data;
      const row = { lotId, customerId, points, remaining: points, earnedAt, expiresAt, expired: false };
      return [{ kind: "open", row }];
    }
    case "PointsRedeemed":
      return event.data.lots.map((lot) => ({ kind: "take", lotId: lot.lotId, points: lot.points }));
    case "PointsRestored":
      return event.data.lots.map((lot) => ({ kind: "give-back", lotId: lot.lotId, points: lot.points }));
    case "LotExpired":
      return [{ kind: "expire", lotId: event.data.lotId, points: event.data.points }];
    case "PointsAdjusted": {
      const { points, adjustedAt, lotId, expiresAt, lots } = event.data;
      if (points > 0 && lotId !== undefined && expiresAt !== undefined) {
        const row = { lotId, customerId, points, remaining: points, earnedAt: adjustedAt, expiresAt, expired: false };
        return [{ kind: "open", row }];
      }
      return (lots ?? []).map((lot) => ({ kind: "take", lotId: lot.lotId, points: lot.points }));
    }
  }
}

/** The lot a change is about. */
export function lotIdOf(change: PointLotChange): string {
  return change.kind === "open" ? change.row.lotId : change.lotId;
}
