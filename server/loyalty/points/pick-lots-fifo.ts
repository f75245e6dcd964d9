import type { LotPoints } from "./point-events";
import { spendableLots, type PointsState } from "./points-state";

/**
 * Which lots pay for `points` at `now`: the first to expire first, never a lot whose expiry has come. Returns null
 * when the spendable lots cannot cover it (the caller words the refusal).
 */
export function pickLotsFifo(state: PointsState, points: number, now: Date): LotPoints[] | null {
  const picked: LotPoints[] = [];
  let left = points;
  for (const lot of spendableLots(state, now)) {
    if (left === 0) break;
    const take = Math.min(lot.remaining, left);
    picked.push({ lotId: lot.lotId, points: take });
    left -= take;
  }
  return left === 0 ? picked : null;
}
