import type { PointLotRow } from "./point-lot-row";

const DAY_MS = 24 * 60 * 60 * 1000;

/** Monday 00:00 UTC of the ISO week holding `now`. */
export function startOfWeek(now: Date): Date {
  const daysSinceMonday = (now.getUTCDay() + 6) % 7;
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - daysSinceMonday));
}

/**
 * Points earned this calendar week (ISO week, from Monday 00:00 UTC) that can still be spent at `now`: the unspent
 * part of lots earned in the week, leaving out lots expired or past their expiry.
 */
export function pointsValidThisWeek(lots: readonly PointLotRow[], now: Date): number {
  const weekStart = startOfWeek(now).getTime();
  const weekEnd = weekStart + 7 * DAY_MS;
  return lots
    .filter((lot) => {
      const earned = lot.earnedAt.getTime();
      return earned >= weekStart && earned < weekEnd && !lot.expired && lot.expiresAt.getTime() > now.getTime();
    })
    .reduce((sum, lot) => sum + lot.remaining, 0);
}
