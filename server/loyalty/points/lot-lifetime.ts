/** How long earned points stay spendable unless a command says otherwise. */
export const LOT_LIFETIME_DAYS = 365;

const DAY_MS = 24 * 60 * 60 * 1000;

/** When a lot earned at `earnedAt` stops being spendable: whole days of 24 hours later (UTC, no DST shifts). */
export function lotExpiresAt(earnedAt: Date, lifetimeDays: number = LOT_LIFETIME_DAYS): Date {
  if (!Number.isSafeInteger(lifetimeDays) || lifetimeDays < 1) {
    throw new RangeError(`lotExpiresAt expects a whole number of days ≥ 1, got ${lifetimeDays}`);
  }
  return new Date(earnedAt.getTime() + lifetimeDays * DAY_MS);
}
