import { DomainError } from "@/server/errors";
import { formatPoints } from "./format-points";
import { lotExpiresAt, LOT_LIFETIME_DAYS } from "./lot-lifetime";
import { pickLotsFifo } from "./pick-lots-fifo";
import { MAX_BALANCE_POINTS, MAX_POINTS_PER_EVENT } from "./point-limits";
import type { AdjustPoints, EarnPoints, ExpireLot, PointCommand, RedeemPoints } from "./point-commands";
import { restorePoints } from "./restore-points";
import type { LotPoints, PointEvent } from "./point-events";
import { availablePoints, isDueForExpiry, type PointsState } from "./points-state";

/**
 * Decides what a command means for one customer's points: the events to append, or a DomainError saying why not.
 * Pure: the clock comes in as `now`, the history as `state` (built with `evolvePoints`).
 */
export function decidePoints(command: PointCommand, state: PointsState, { now }: { now: Date }): PointEvent[] {
  switch (command.type) {
    case "EarnPoints":
      return earnPoints(command, state);
    case "RedeemPoints":
      return redeemPoints(command, state, now);
    case "RestorePoints":
      return restorePoints(command, state, now);
    case "ExpireLot":
      return expireLot(command, state, now);
    case "AdjustPoints":
      return adjustPoints(command, state, now);
    default: {
      const unknown: never = command;
      throw new Error(`Unknown points command: ${JSON.stringify(unknown)}`);
    }
  }
}

/** A lot per purchase; the same lot id twice (a redelivered purchase) earns nothing more. */
function earnPoints({ data }: EarnPoints, state: PointsState): PointEvent[] {
  requireId("lotId", data.lotId);
  requireId("orderId", data.orderId);
  if (!Number.isSafeInteger(data.points) || data.points < 0) {
    throw invalid("points", `Points earned must be a whole number, 0 or more; got ${data.points}.`);
  }
  if (data.expiresAt.getTime() <= data.earnedAt.getTime()) {
    throw invalid("expiresAt", "Points must expire after they are earned.");
  }
  if (state.lots.some((lot) => lot.lotId === data.lotId)) return [];
  // Capped, not refused (see point-limits.ts): the purchase happened, so it earns the most the programme allows.
  const points = Math.min(data.points, MAX_POINTS_PER_EVENT, MAX_BALANCE_POINTS - heldPoints(state));
  if (points <= 0) return [];
  const { lotId, orderId, checkoutId, earnedAt, expiresAt } = data;
  const purchase = checkoutId === undefined ? { orderId } : { orderId, checkoutId };
  return [{ type: "PointsEarned", data: { lotId, points, earnedAt, expiresAt, ...purchase, ruleIds: [...data.ruleIds] } }];
}

/** Spends first-expiring lots first; refuses rather than spend more than is spendable now. */
function redeemPoints({ data }: RedeemPoints, state: PointsState, now: Date): PointEvent[] {
  requireId("redemptionId", data.redemptionId);
  if (!isPositiveWhole(data.points)) throw invalid("points", "Redeem a whole number of points, 1 or more.");
  if (data.points > MAX_POINTS_PER_EVENT) throw invalid("points", `Redeem at most ${formatPoints(MAX_POINTS_PER_EVENT)} at a time.`);
  const repeat = isRepeat(state.redemptions.get(data.redemptionId)?.points, data.points, (earlier) =>
    `This redemption was already made for ${earlier}; start a new one to redeem ${formatPoints(data.points)}.`,
  );
  if (repeat) return [];
  const lots = takeLots(state, data.points, now, (available) =>
    `You have ${available} available; you asked to redeem ${formatPoints(data.points)}.`,
  );
  const { redemptionId, points, checkoutId } = data;
  const forCheckout = checkoutId === undefined ? {} : { checkoutId };
  return [{ type: "PointsRedeemed", data: { redemptionId, points, lots, redeemedAt: now, ...forCheckout } }];
}

/** Expires what is left of a lot once its expiry has come; anything else (too early, done, empty) is a no-op. */
function expireLot({ data }: ExpireLot, state: PointsState, now: Date): PointEvent[] {
  const lot = state.lots.find((candidate) => candidate.lotId === data.lotId);
  if (!lot || !isDueForExpiry(lot, now)) return [];
  return [{ type: "LotExpired", data: { lotId: lot.lotId, points: lot.remaining, expiredAt: lot.expiresAt } }];
}

/** A credit opens a lot named after the adjustment; a deduction takes lots like a redemption does. */
function adjustPoints({ data }: AdjustPoints, state: PointsState, now: Date): PointEvent[] {
  requireId("adjustmentId", data.adjustmentId);
  if (!Number.isSafeInteger(data.points) || data.points === 0) {
    throw invalid("points", "Adjust by a whole number of points other than 0 (negative to deduct).");
  }
  if (Math.abs(data.points) > MAX_POINTS_PER_EVENT) {
    throw invalid("points", `Adjust by at most ${formatPoints(MAX_POINTS_PER_EVENT)} at a time.`);
  }
  if (data.points > 0 && heldPoints(state) + data.points > MAX_BALANCE_POINTS) {
    throw invalid("points", `A customer can hold at most ${formatPoints(MAX_BALANCE_POINTS)}.`);
  }
  const reason = data.reason.trim();
  if (reason === "") throw invalid("reason", "Say why the points are being adjusted.");
  if (data.adjustedBy.trim() === "") throw invalid("adjustedBy", "Say who is adjusting the points.");
  const repeat = isRepeat(state.adjustments.get(data.adjustmentId), data.points, (earlier) =>
    `This adjustment was already made for ${earlier}; start a new one for ${formatPoints(data.points)}.`,
  );
  if (repeat) return [];
  const { adjustmentId, points, adjustedBy } = data;
  const common = { adjustmentId, points, reason, adjustedBy, adjustedAt: now };
  if (data.points > 0) return [{ type: "PointsAdjusted", data: { ...common, ...creditedLot(data, state, now) } }];

  if (data.expiresAt !== undefined || data.lotLifetimeDays !== undefined) {
    throw invalid("expiresAt", "A deduction takes existing points; it has no expiry of its own.");
  }
  const lots = takeLots(state, -data.points, now, (available) =>
    `The customer has ${available} available; deducting ${formatPoints(-data.points)} would take them below zero.`,
  );
  return [{ type: "PointsAdjusted", data: { ...common, lots } }];
}

/**
 * Redemptions and adjustments are keyed by their id: `earlier` is the points that id was used for, if it was. The
 * same request again is a repeat (nothing more to write); the same id for other points is refused, worded by
 * `refusal` (given the earlier points, formatted).
 */
function isRepeat(earlier: number | undefined, points: number, refusal: (earlier: string) => string): boolean {
  if (earlier === undefined) return false;
  if (earlier === points) return true;
  throw new DomainError("IDEMPOTENCY_CONFLICT", refusal(formatPoints(earlier)));
}

/** The lots that pay for `points` (pickLotsFifo), or INSUFFICIENT_POINTS worded by `refusal` (given what is available). */
function takeLots(state: PointsState, points: number, now: Date, refusal: (available: string) => string): LotPoints[] {
  const lots = pickLotsFifo(state, points, now);
  if (!lots) {
    throw new DomainError("INSUFFICIENT_POINTS", refusal(formatPoints(availablePoints(state, now))), { field: "points" });
  }
  return lots;
}

function creditedLot(data: AdjustPoints["data"], state: PointsState, now: Date): { lotId: string; expiresAt: Date } {
  if (data.expiresAt !== undefined && data.lotLifetimeDays !== undefined) {
    throw invalid("expiresAt", "Give an expiry date or a lifetime in days, not both.");
  }
  if (data.lotLifetimeDays !== undefined && !isPositiveWhole(data.lotLifetimeDays)) {
    throw invalid("lotLifetimeDays", "A lot lasts a whole number of days, 1 or more.");
  }
  const expiresAt = data.expiresAt ?? lotExpiresAt(now, data.lotLifetimeDays ?? LOT_LIFETIME_DAYS);
  if (expiresAt.getTime() <= now.getTime()) throw invalid("expiresAt", "Credited points must expire in the future.");
  if (state.lots.some((lot) => lot.lotId === data.adjustmentId)) {
    throw new DomainError("IDEMPOTENCY_CONFLICT", "That adjustment id is already the id of a lot; use a new one.");
  }
  return { lotId: data.adjustmentId, expiresAt };
}

/** Every point the customer holds, spendable or not yet expired by an event: what a balance can grow to. */
function heldPoints(state: PointsState): number {
  return state.lots.reduce((sum, lot) => sum + lot.remaining, 0);
}

function isPositiveWhole(value: number): boolean {
  return Number.isSafeInteger(value) && value > 0;
}

/** Ids key idempotency, so an empty one would make unrelated requests look like retries of each other. */
function requireId(field: string, id: string): void {
  if (id.trim() === "") throw invalid(field, `A ${field} is required.`);
}

function invalid(field: string, message: string): DomainError {
  return new DomainError("VALIDATION", message, { field });
}
