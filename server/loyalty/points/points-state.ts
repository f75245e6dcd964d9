import type { LotPoints, PointEvent } from "./point-events";

/** One award of points: spendable until `expiresAt` (exclusive), `remaining` of its `points` still unspent. */
export type PointLot = {
  lotId: string;
  earnedAt: Date;
  expiresAt: Date;
  points: number;
  remaining: number;
  /** Set by LotExpired. A lot can be past `expiresAt` before that event arrives; it is unspendable either way. */
  expired: boolean;
};

/** A redemption made: what it took from which lots, so that it can be given back to them (once). */
export type Redemption = {
  points: number;
  lots: readonly LotPoints[];
  checkoutId?: string;
  restored: boolean;
};

/** What the decider needs to know about one customer's points. */
export type PointsState = {
  /** In the order they were earned. */
  lots: readonly PointLot[];
  /** Each redemption already made, by redemption id: a retried command must not spend, or give back, twice. */
  redemptions: ReadonlyMap<string, Redemption>;
  /** Points of each adjustment already made, by adjustment id. */
  adjustments: ReadonlyMap<string, number>;
};

/** A customer with no events yet. */
export function initialPointsState(): PointsState {
  return { lots: [], redemptions: new Map(), adjustments: new Map() };
}

/** Applies one event. Pure and clock-free: expiry by time is a question asked of the state (`availablePoints`). */
export function evolvePoints(state: PointsState, event: PointEvent): PointsState {
  switch (event.type) {
    case "PointsEarned": {
      const { lotId, points, earnedAt, expiresAt } = event.data;
      return openLot(state, { lotId, earnedAt, expiresAt, points, remaining: points, expired: false });
    }
    case "PointsRedeemed": {
      const { redemptionId, points, lots, checkoutId } = event.data;
      const redemption = { points, lots, restored: false, ...(checkoutId === undefined ? {} : { checkoutId }) };
      const redemptions = new Map(state.redemptions).set(redemptionId, redemption);
      return { ...state, lots: takeFromLots(state.lots, lots), redemptions };
    }
    case "PointsRestored": {
      // The lot keeps its expiry and its expired flag: points given back to a dead lot stay unspendable (and the
      // decider expires them in the same decision).
      const earlier = state.redemptions.get(event.data.redemptionId);
      const redemptions = earlier
        ? new Map(state.redemptions).set(event.data.redemptionId, { ...earlier, restored: true })
        : state.redemptions;
      return { ...state, lots: giveBackToLots(state.lots, event.data.lots), redemptions };
    }
    // A lot can expire more than once: points given back to it after it expired expire again.
    case "LotExpired":
      return {
        ...state,
        lots: state.lots.map((lot) =>
          lot.lotId === event.data.lotId
            ? { ...lot, remaining: Math.max(0, lot.remaining - event.data.points), expired: true }
            : lot,
        ),
      };
    case "PointsAdjusted": {
      const { adjustmentId, points, adjustedAt, lotId, expiresAt, lots } = event.data;
      const adjustments = new Map(state.adjustments).set(adjustmentId, points);
      if (points > 0 && lotId !== undefined && expiresAt !== undefined) {
        const lot = { lotId, earnedAt: adjustedAt, expiresAt, points, remaining: points, expired: false };
        return { ...openLot(state, lot), adjustments };
      }
      return { ...state, lots: takeFromLots(state.lots, lots ?? []), adjustments };
    }
  }
}

/**
 * Points the customer can spend at `now`: lots not expired and whose expiry has not come (a lot is dead from the
 * instant `expiresAt`, whether or not its LotExpired has been recorded yet).
 */
export function availablePoints(state: PointsState, now: Date): number {
  return spendableLots(state, now).reduce((sum, lot) => sum + lot.remaining, 0);
}

/**
 * Lots with points left that can be spent at `now`, in the order they are spent: first to expire first, then
 * earliest earned, then lot id, so the order never depends on how the lots were stored.
 */
export function spendableLots(state: PointsState, now: Date): PointLot[] {
  return state.lots
    .filter((lot) => !lot.expired && lot.remaining > 0 && lot.expiresAt.getTime() > now.getTime())
    .sort(
      (a, b) =>
        a.expiresAt.getTime() - b.expiresAt.getTime() ||
        a.earnedAt.getTime() - b.earnedAt.getTime() ||
        (a.lotId < b.lotId ? -1 : a.lotId > b.lotId ? 1 : 0),
    );
}

/**
 * Whether a lot's expiry has come while it still holds points, so that LotExpired should record it: the decider's
 * rule for ExpireLot. The expiry process finds candidates with the same condition in SQL on the lots projection
 * (expire-due-lots.ts), and the decider checks each against this.
 */
export function isDueForExpiry(lot: Pick<PointLot, "expired" | "remaining" | "expiresAt">, now: Date): boolean {
  return !lot.expired && lot.remaining > 0 && lot.expiresAt.getTime() <= now.getTime();
}

function openLot(state: PointsState, lot: PointLot): PointsState {
  // The decider never opens a lot id twice; this keeps a hand-edited stream from counting one twice.
  if (state.lots.some((existing) => existing.lotId === lot.lotId)) return state;
  return { ...state, lots: [...state.lots, lot] };
}

function takeFromLots(lots: readonly PointLot[], taken: readonly LotPoints[]): PointLot[] {
  return moveLotPoints(lots, taken, -1);
}

function giveBackToLots(lots: readonly PointLot[], given: readonly LotPoints[]): PointLot[] {
  return moveLotPoints(lots, given, 1);
}

/** Each lot named in `moves` loses (sign −1) or gets back (+1) the points named for it. */
function moveLotPoints(lots: readonly PointLot[], moves: readonly LotPoints[], sign: 1 | -1): PointLot[] {
  return lots.map((lot) => {
    const points = moves.filter((move) => move.lotId === lot.lotId).reduce((sum, move) => sum + move.points, 0);
    return points === 0 ? lot : { ...lot, remaining: lot.remaining + sign * points };
  });
}
