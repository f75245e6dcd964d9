import type { LoadResult } from "../lib/http-load";

/** Each address's req/s as a share of the static asset's, by the same tool, against the address's target. */

export type Comparison = {
  /** req/s ÷ the static asset's req/s (same tool, same run); null when either is unknown. */
  ratio: number | null;
  /** null for the static asset itself (no target) or when the ratio is unknown. */
  meetsTarget: boolean | null;
};

export function compareToStatic(
  result: LoadResult | null,
  reference: LoadResult | null,
  targetRatio: number | null,
): Comparison {
  const rate = result?.requestsPerSecond ?? null;
  const referenceRate = reference?.requestsPerSecond ?? null;
  const ratio = rate !== null && referenceRate !== null && referenceRate > 0 ? Math.round((rate / referenceRate) * 1000) / 1000 : null;
  return { ratio, meetsTarget: ratio === null || targetRatio === null ? null : ratio >= targetRatio };
}

/** "0.42 ✗", "0.61 ✓", "1.00" (no target), "–" (unknown). */
export function describeComparison(comparison: Comparison): string {
  if (comparison.ratio === null) return "–";
  const mark = comparison.meetsTarget === null ? "" : comparison.meetsTarget ? " ✓" : " ✗";
  return `${comparison.ratio.toFixed(2)}${mark}`;
}
