import type { PointLotRow } from "./point-lot-row";

const DAY_MS = 24 * 60 * 60 * 1000;

/** Unspent points of one lot and when they go. */
export type ExpiringLot = { lotId: string; points: number; expiresAt: Date };

/**
 * Lots with points left that expire after `now` and at most `days` days from it, soonest first (then by lot id), so
 * the customer can spend them in time.
 */
export function expiringSoon(lots: readonly PointLotRow[], now: Date, days = 30): ExpiringLot[] {
  const from = now.getTime();
  const until = from + days * DAY_MS;
  return lots
    .filter((lot) => !lot.expired && lot.remaining > 0)
    .filter((lot) => lot.expiresAt.getTime() > from && lot.expiresAt.getTime() <= until)
    .sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime() || (a.lotId < b.lotId ? -1 : 1))
    .map((lot) => ({ lotId: lot.lotId, points: lot.remaining, expiresAt: lot.expiresAt }));
}
