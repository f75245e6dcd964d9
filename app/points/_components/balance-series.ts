import type { PointHistoryRow } from "@/server/loyalty/projections/point-history";

/**
 * One step of the balance chart: the balance right after an event, and what the event moved, split the way the
 * chart colours it. Points going out are negative, so their bars hang below the axis.
 */
export type BalanceStep = {
  version: number;
  occurredAt: Date;
  balance: number;
  /** Earned from a purchase or credited by staff. */
  earned: number;
  /** Used at a checkout that then failed, and given back (≥ 0): not earned, and not spent after all. */
  givenBack: number;
  /** Redeemed by the customer or deducted by staff (≤ 0). */
  redeemed: number;
  /** Expired unspent (≤ 0). */
  expired: number;
};

export type SeriesTotals = { earned: number; givenBack: number; redeemed: number; expired: number };

/** The chart's steps, oldest first, from history entries in any order (the API pages them newest first). */
export function balanceSeries(entries: readonly PointHistoryRow[]): BalanceStep[] {
  return [...entries]
    .sort((a, b) => a.version - b.version)
    .map((entry) => {
      const delta = entry.pointsDelta;
      const expired = entry.type === "LotExpired" ? delta : 0;
      const givenBack = entry.type === "PointsRestored" && delta > 0 ? delta : 0;
      return {
        version: entry.version,
        occurredAt: entry.occurredAt,
        balance: entry.balanceAfter,
        earned: delta > 0 && givenBack === 0 ? delta : 0,
        givenBack,
        redeemed: delta < 0 && entry.type !== "LotExpired" ? delta : 0,
        expired,
      };
    });
}

/** What the steps add up to, as positive numbers (for the chart's text alternative). */
export function seriesTotals(steps: readonly BalanceStep[]): SeriesTotals {
  return steps.reduce(
    (totals, step) => ({
      earned: totals.earned + step.earned,
      givenBack: totals.givenBack + step.givenBack,
      redeemed: totals.redeemed - step.redeemed,
      expired: totals.expired - step.expired,
    }),
    { earned: 0, givenBack: 0, redeemed: 0, expired: 0 },
  );
}

/**
 * Round ticks for the points axis (0, 50, 100 rather than 0, 65, 130): steps of 1, 2 or 5 times a power of ten, about
 * four of them over the largest balance or change, reaching below 0 when points went out.
 */
export function pointsAxisTicks(steps: readonly BalanceStep[]): number[] {
  const highest = Math.max(1, ...steps.map((step) => Math.max(step.balance, step.earned + step.givenBack)));
  const lowest = Math.min(0, ...steps.map((step) => step.redeemed + step.expired));
  // Points are whole, so the step is at least 1.
  const rough = Math.max(1, (highest - lowest) / 4);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= rough) ?? 10 * power;
  const ticks: number[] = [];
  for (let tick = Math.floor(lowest / step) * step; tick < highest + step; tick += step) ticks.push(tick);
  return ticks;
}
